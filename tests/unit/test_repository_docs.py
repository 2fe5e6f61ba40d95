"""The repository stands alone: its documents link only to files it holds, and the tests read nothing from
beside the clone (a clone into an empty folder must pass `bash scripts/test.sh`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DOCUMENTS = ["README.md", "CONTRIBUTING.md", "docs/architecture.md", "tests/data/corpora/README.md"]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
OUTSIDE = re.compile(r"\.\./shared|/work/|shared/data|ENGLIVO_TEST_SHARED_DATA|REPO_ROOT\.parent")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_relative_link_of_a_document_resolves_inside_the_repository(name: str) -> None:
    document = REPO_ROOT / name
    targets = [t for t in LINK.findall(document.read_text(encoding="utf-8")) if "://" not in t]
    for target in targets:
        resolved = (document.parent / target).resolve()
        assert resolved.is_relative_to(REPO_ROOT) and resolved.exists(), f"{name} links to {target}"


def test_the_readme_links_the_architecture_and_the_contributing_guide() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme and "(CONTRIBUTING.md)" in readme
    assert "ARCHITECTURE.md" not in readme


def test_no_test_reads_a_folder_beside_the_repository() -> None:
    offenders = [f"{path.relative_to(REPO_ROOT)}:{number}"
                 for path in sorted((REPO_ROOT / "tests").rglob("*.py")) if path != Path(__file__)
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if OUTSIDE.search(line)]
    assert not offenders, offenders
