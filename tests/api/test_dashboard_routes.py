"""The dashboard page is served without a key outside production, and not at all in production."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings


def test_page_and_its_files_are_served_without_a_key(tmp_path: Path, clean_env: None) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        page = client.get("/dashboard?user=u1")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="/dashboard/dashboard.js">' in page.text
        script = client.get("/dashboard/dashboard.js")
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert 'from "/dashboard/vendor/uPlot.esm.js"' in script.text
        assert client.get("/dashboard/vendor/uPlot.esm.js").status_code == 200
        assert "MIT" in client.get("/dashboard/vendor/LICENSE").text
        assert client.get("/dashboard/").status_code == 200
        # only the page is public: the API it calls still wants the key
        assert client.post("/graphql", json={"query": "{ health }"}).status_code == 401


def test_production_does_not_serve_the_page(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, environment="production", database={"auto_migrate": False})
    with TestClient(create_app(settings)) as client:
        assert client.get("/dashboard").status_code == 401
        assert client.get("/dashboard", headers={"x-api-key": API_KEY}).status_code == 404


def test_a_setting_switches_the_page_off(tmp_path: Path, clean_env: None) -> None:
    with TestClient(create_app(make_settings(tmp_path, graphql={"dashboard": False}))) as client:
        assert client.get("/dashboard/dashboard.js", headers={"x-api-key": API_KEY}).status_code == 404
