"""/docs without the internet: Swagger UI's files are served by the app itself, from the swagger-ui-py package
(Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes), instead of FastAPI's default CDN links."""

from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"


def _package_dir(name: str) -> Path:
    """Found without importing the package: swagger_ui's own code (its handlers for several web frameworks, PyYAML)
    is nothing the app needs beside the files, and would be idle memory (issue 12)."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {name} package is missing; install greetline's dependencies", name=name)
    return Path(spec.submodule_search_locations[0])


ASSETS_DIR = _package_dir("swagger_ui") / "static"


def install_docs(app: FastAPI) -> None:
    """Call on an app made with docs_url=None and redoc_url=None (ReDoc has no packaged copy, so it is left out)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        )
