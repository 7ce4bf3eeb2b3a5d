"""The floor /healthz is measured against: a bare FastAPI app whose one endpoint gives the same JSON,
written as the app's endpoints are (a plain `def`, run in the thread pool), with no middleware, no
database. Served by uvicorn with `--factory`, as the app is."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from learnbridge import __version__


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    return app
