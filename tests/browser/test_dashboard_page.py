"""The dashboard in headless Chromium: a learner seeded by `englivo seed-demo` (the real engines on the
samples committed in tests/data/corpora, its default data), the real service on a free port, and the
page's charts checked in a screenshot.
Debian's `chromium` and `chromium-driver` come from scripts/browser.sh (run by scripts/test.sh)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, free_port

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOT = REPO_ROOT / "var" / "dashboard.png"
API_KEY = "browser-test-key-0123456789"
LEARNER = "learner-dash"
SESSIONS = 6
GROUPS = ("cefr", "errors", "vocabulary", "pronunciation", "fluency")
# Groups the seeded history must fill. Pronunciation and vocabulary join them once those results feed
# the learner's progress (pronunciation is assessed by the seeding, but not yet recorded for progress).
MUST_DRAW = ("cefr", "errors", "vocabulary", "pronunciation", "fluency")
FIRST_LINE_RGB = (0x25, 0x63, 0xEB)  # COLOURS[0] in dashboard.js


def _englivo(*args: str, env: dict[str, str], cwd: Path, **kwargs: Any) -> Any:
    return subprocess.run([str(Path(sys.executable).parent / "englivo"), *args], env=env, cwd=cwd,
                          capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The engine on a free port, on an SQLite database holding a seeded learner."""
    folder = tmp_path_factory.mktemp("dashboard")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGLIVO_")} | {
        "ENGLIVO_ENVIRONMENT": "development", "ENGLIVO_DATA_DIR": str(folder),
        "ENGLIVO_DATABASE__URL": f"sqlite+aiosqlite:///{folder / 'engine.db'}",
        "ENGLIVO_CACHE__DIR": str(folder / "cache"), "ENGLIVO_SECURITY__API_KEYS": API_KEY,
    }
    seeded = _englivo("seed-demo", "--user", LEARNER, "--sessions", str(SESSIONS), "--readings", "1",
                      env=env, cwd=folder, timeout=240)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    summary = json.loads(seeded.stdout.strip().splitlines()[-1])
    assert summary["text_analyses"] == SESSIONS and summary["pronunciation_assessments"] == SESSIONS, summary
    first, last = (datetime.fromisoformat(summary[k]) for k in ("first_at", "last_at"))
    assert last - first > timedelta(days=60), summary  # the default spread is 120 days

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "englivo"), "serve", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/health", server)
        progress = _graphql(base, "query($u: ID!) { progress(userId: $u) { sessions firstAt lastAt } }", {"u": LEARNER})
        # stored at the seeded times, not at the time the seeding ran
        stored = (datetime.fromisoformat(progress["firstAt"]), datetime.fromisoformat(progress["lastAt"]))
        # a session's readings follow its text a few minutes apart, so the last result is just after `last`
        assert progress["sessions"] == SESSIONS and stored[0] == first, progress
        assert last <= stored[1] <= last + timedelta(hours=1), progress
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def _graphql(base: str, query: str, variables: dict[str, Any]) -> Any:
    request = urllib.request.Request(f"{base}/graphql", json.dumps({"query": query, "variables": variables}).encode(),
                                     {"content-type": "application/json", "x-api-key": API_KEY})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]["progress"]


def _wait_for(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the service stopped: {server.stderr.read()[-3000:] if server.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the service did not answer {url} within 60 s")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("headless Chromium is missing: run scripts/browser.sh (scripts/test.sh does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1900", "--force-device-scale-factor=1", "--lang=en-GB"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_dashboard_draws_the_seeded_learners_progress(service: str, browser: Any) -> None:
    from PIL import Image
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{service}/dashboard?user={LEARNER}&key={API_KEY}")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script("return document.body.dataset.state")
                                     in ("ready", "error"))
    status = browser.execute_script("return document.getElementById('status').textContent")
    assert browser.execute_script("return document.body.dataset.state") == "ready", status
    assert status == f"{LEARNER}: {SESSIONS} sessions"
    assert "key=" not in browser.current_url  # stored in the page, kept out of the address bar

    summary = browser.execute_script("return [...document.querySelectorAll('#summary strong')].map(e => e.textContent)")
    assert summary[0] == str(SESSIONS) and summary[1] in ("A1", "A2", "B1", "B2", "C1", "C2"), summary
    charts = browser.execute_script("""return [...document.querySelectorAll('figure.chart')].map(f => {
        const canvas = f.querySelector('canvas'), box = (canvas || f).getBoundingClientRect();
        return {group: f.dataset.group, lines: Number(f.dataset.lines), canvas: Boolean(canvas),
                empty: f.querySelector('.empty')?.textContent ?? null,
                box: [box.left, box.top, box.right, box.bottom].map(Math.round),
                inside: box.right <= f.getBoundingClientRect().right};
    })""")
    assert [c["group"] for c in charts] == list(GROUPS)
    for chart in charts:
        assert chart["canvas"] == (chart["lines"] > 0), chart
        assert chart["inside"], chart  # a chart drawn wider than its box overlaps its neighbour
        assert chart["canvas"] or chart["empty"] == "No data yet", chart
    assert all(c["lines"] > 0 for c in charts if c["group"] in MUST_DRAW), charts
    assert any(c["group"] == "errors" and c["lines"] >= 2 for c in charts), charts

    SCREENSHOT.parent.mkdir(exist_ok=True)
    browser.save_screenshot(str(SCREENSHOT))
    with Image.open(SCREENSHOT) as image:
        shot = image.convert("RGB")
    for chart in (c for c in charts if c["canvas"]):
        crop = shot.crop(tuple(chart["box"]))
        pixels = list(crop.get_flattened_data())
        drawn = sum(1 for p in pixels if p != (255, 255, 255))
        first_line = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, FIRST_LINE_RGB, strict=True)) < 60)
        assert drawn > 0.01 * len(pixels), (chart["group"], drawn, len(pixels))
        assert first_line > 100, (chart["group"], first_line)  # its first series' line and points

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors


def test_a_learner_without_sessions_sees_no_data_yet(service: str, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{service}/dashboard?user=nobody-yet&key={API_KEY}")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.body.dataset.state")
                                     in ("ready", "error"))
    assert browser.execute_script("return document.getElementById('status').textContent") == "nobody-yet: no data yet"
    empty = browser.execute_script(
        "return [...document.querySelectorAll('figure.chart')].map(f => f.querySelector('.empty')?.textContent)")
    assert empty == ["No data yet"] * len(GROUPS)
    assert browser.execute_script("return document.querySelectorAll('canvas').length") == 0
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_wrong_key_is_reported_on_the_page(service: str, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{service}/dashboard?user={LEARNER}&key=not-the-key")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.body.dataset.state")
                                     in ("ready", "error"))
    assert browser.execute_script("return document.body.dataset.state") == "error"
    assert "API key not valid" in browser.execute_script("return document.getElementById('status').textContent")
