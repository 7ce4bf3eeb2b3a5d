"""The ASGI application: `create_app(settings)` builds everything; nothing happens at import time."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from learnbridge import __version__
from learnbridge.accounts import api as accounts_api
from learnbridge.accounts import web as accounts_web
from learnbridge.catalog import api as catalog_api
from learnbridge.catalog import web as catalog_web
from learnbridge.catalog.models import FORMAT_LABELS, KIND_LABELS
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.deps import remember_db
from learnbridge.core.jobs import JobRunner
from learnbridge.core.problems import install_error_handlers
from learnbridge.core.settings import Settings
from learnbridge.core.templates import make_templates
from learnbridge.home import web as home_web
from learnbridge.jobs import job_handlers, recurring_jobs
from learnbridge.notify import api as notify_api
from learnbridge.notify import web as notify_web
from learnbridge.people import api as people_api
from learnbridge.people import web as people_web
from learnbridge.pull import api as pull_api
from learnbridge.pull import recommend_api as pull_recommend_api
from learnbridge.pull import recommend_web as pull_recommend_web
from learnbridge.pull import web as pull_web
from learnbridge.push import api as push_api
from learnbridge.push import evidence_web as push_evidence_web
from learnbridge.push import oversight_api as push_oversight_api
from learnbridge.push import web as push_web
from learnbridge.records import clients_web as records_clients_web
from learnbridge.records import statements_api as records_statements_api
from learnbridge.records import xapi_api as records_xapi_api
from learnbridge.records import xapi_documents_api as records_xapi_documents_api
from learnbridge.sessions import admin_web as sessions_admin_web
from learnbridge.sessions import api as sessions_api
from learnbridge.sessions import web as sessions_web
from learnbridge.skills import api as skills_api
from learnbridge.skills import web as skills_web

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = None
        if settings.jobs_in_process:
            runner = JobRunner(
                app.state.sessionmaker,
                job_handlers(settings),
                recurring_jobs(),
                settings.jobs_poll_seconds,
                worker_id=f"app-{socket.gethostname()}-{os.getpid()}",
            )
            runner.start()
        app.state.job_runner = runner
        yield
        if runner is not None:
            runner.stop()
        app.state.engine.dispose()

    app = FastAPI(
        title="Learnbridge",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        # Every route keeps its session on request.state, for the nav's unread badge.
        dependencies=[Depends(remember_db)],
    )
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.templates = make_templates()
    # Every page may show a catalogue card, so the kind and format labels are template globals.
    app.state.templates.env.globals.update(kinds=KIND_LABELS, formats=FORMAT_LABELS)
    app.state.templates.env.globals["inbox_unread"] = notify_web.unread_badge
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie="learnbridge_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=settings.static_dir or STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request) -> JSONResponse:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok", "version": __version__})

    for api in (
        accounts_api,
        people_api,
        skills_api,
        catalog_api,
        notify_api,
        push_api,
        push_oversight_api,
        sessions_api,
        pull_api,
        pull_recommend_api,
        records_statements_api,
    ):
        app.include_router(api.router, prefix="/api/v1")
    for web in (
        accounts_web,
        home_web,
        people_web,
        skills_web,
        catalog_web,
        notify_web,
        push_web,
        push_evidence_web,
        sessions_web,
        sessions_admin_web,
        pull_web,
        pull_recommend_web,
        records_xapi_api,
        records_xapi_documents_api,
        records_clients_web,
    ):
        app.include_router(web.router)
    return app
