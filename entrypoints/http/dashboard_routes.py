"""The progress dashboard: a static page (entrypoints/http/dashboard/) that calls the GraphQL API from the
browser. The page itself needs no API key, since a browser cannot send one when it opens a URL; its
GraphQL requests carry the key the user typed in or passed as `?key=`."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

DASHBOARD_DIR = Path(__file__).parent / "dashboard"


async def _index(_: Request) -> FileResponse:
    return FileResponse(DASHBOARD_DIR / "index.html", media_type="text/html")


def dashboard_routes() -> tuple[list[BaseRoute], list[str]]:
    """(routes, the paths they serve): `/dashboard` and its files, each one public."""
    files = sorted(p.relative_to(DASHBOARD_DIR).as_posix() for p in DASHBOARD_DIR.rglob("*") if p.is_file())
    routes: list[BaseRoute] = [
        Route("/dashboard", _index, methods=["GET", "HEAD"]),
        Mount("/dashboard", StaticFiles(directory=DASHBOARD_DIR, html=True)),
    ]
    return routes, ["/dashboard", "/dashboard/", *(f"/dashboard/{name}" for name in files)]
