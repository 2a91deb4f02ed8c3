"""/docs without the internet: Swagger UI's files are served by the app itself, from the swagger-ui-py package
(Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes), instead of FastAPI's default CDN links."""

from pathlib import Path

import swagger_ui
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
ASSETS_DIR = Path(swagger_ui.__file__).with_name("static")


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
