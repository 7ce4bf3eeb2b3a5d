"""The ASGI application: `create_app(settings)` builds everything; nothing happens at import time."""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from learnbridge import __version__
from learnbridge.accounts import api as accounts_api
from learnbridge.accounts import passwords
from learnbridge.accounts import web as accounts_web
from learnbridge.catalog import api as catalog_api
from learnbridge.catalog import web as catalog_web
from learnbridge.catalog.models import FORMAT_LABELS, KIND_LABELS
from learnbridge.content import api as content_api
from learnbridge.content import web as content_web
from learnbridge.content.cmi5 import web as cmi5_web
from learnbridge.content.media import api as content_media_api
from learnbridge.content.media import web as content_media_web
from learnbridge.content.quiz import api as content_quiz_api
from learnbridge.content.quiz import web as content_quiz_web
from learnbridge.content.scorm import api as content_scorm_api
from learnbridge.content.tincan import web as tincan_web
from learnbridge.core.admission import AdmissionLimit
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.deps import known_query_only, remember_db
from learnbridge.core.gc import freeze_startup_objects
from learnbridge.core.headers import (
    SecurityHeadersMiddleware,
    asset_url,
    compressed,
    content_security_policy,
    script_hash,
)
from learnbridge.core.health import HealthCheck
from learnbridge.core.jobs import JobRunner
from learnbridge.core.leader import Leadership
from learnbridge.core.limits import BodyLimitMiddleware
from learnbridge.core.openapi import API_ERRORS, install_openapi, operation_id
from learnbridge.core.problems import install_error_handlers
from learnbridge.core.routing import prefilter_routers
from learnbridge.core.settings import Settings
from learnbridge.core.sqlite_upkeep import SqliteUpkeep
from learnbridge.core.templates import make_templates, render
from learnbridge.home import api as home_api
from learnbridge.home import web as home_web
from learnbridge.jobs import job_handlers, recurring_jobs
from learnbridge.lrs import api as lrs_api
from learnbridge.lrs import clients_web as lrs_clients_web
from learnbridge.lrs import documents_api as lrs_documents_api
from learnbridge.notify import api as notify_api
from learnbridge.notify import web as notify_web
from learnbridge.people import api as people_api
from learnbridge.people import web as people_web
from learnbridge.pull import api as pull_api
from learnbridge.pull import web as pull_web
from learnbridge.pull.recommend import api as pull_recommend_api
from learnbridge.pull.recommend import web as pull_recommend_web
from learnbridge.push import api as push_api
from learnbridge.push import fulfilment_web as push_fulfilment_web
from learnbridge.push import oversight_api as push_oversight_api
from learnbridge.push import team_web as push_team_web
from learnbridge.push import web as push_web
from learnbridge.records import statements_api as records_statements_api
from learnbridge.sessions import admin_web as sessions_admin_web
from learnbridge.sessions import api as sessions_api
from learnbridge.sessions import web as sessions_web
from learnbridge.skills import api as skills_api
from learnbridge.skills import web as skills_web
from learnbridge.voice import api as voice_api
from learnbridge.voice import web as voice_web

STATIC_DIR = Path(__file__).resolve().parent / "static"
# In a development checkout, the exact axe-core build `make assets` installs may be injected into pages
# by accessibility audits (the browser tests, walk_ui): the CSP admits that one script by its hash.
AXE_IN_CHECKOUT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The upkeep first: it adds the engine's connect listeners, which must not change while the job
        # runner's thread is connecting (SQLAlchemy: "deque mutated during iteration").
        upkeep = SqliteUpkeep(app.state.engine)
        upkeep.start()
        app.state.sqlite_upkeep = upkeep
        runner = None
        if settings.jobs_in_process:
            runner = JobRunner(
                app.state.sessionmaker,
                job_handlers(settings),
                recurring_jobs(),
                settings.jobs_poll_seconds,
                worker_id=f"app-{socket.gethostname()}-{os.getpid()}",
                leadership=Leadership(settings.var_dir / "job-runner.lock"),
            )
            runner.start()
        app.state.job_runner = runner
        if settings.gc_freeze:
            freeze_startup_objects()
        yield
        if runner is not None:
            runner.stop()
        upkeep.stop()
        app.state.engine.dispose()

    app = FastAPI(
        title="Learnbridge",
        version=__version__,
        openapi_url="/api/openapi.json",
        # Served below from our own copy of Swagger UI (`make assets`), under the site's CSP.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # Every route keeps its session on request.state, for the nav's unread badge.
        dependencies=[Depends(remember_db)],
        generate_unique_id_function=operation_id,
    )
    engine = make_engine(
        settings.database_url, echo=settings.sql_echo, lock_timeout=settings.db_lock_timeout_seconds
    )
    app.state.settings = settings
    passwords.configure(settings.password_cost())
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine, settings)
    app.state.templates = make_templates(reload=settings.templates_reload)
    # Every page may show a catalogue card, so the kind and format labels are template globals.
    app.state.templates.env.globals.update(kinds=KIND_LABELS, formats=FORMAT_LABELS)
    app.state.templates.env.globals["inbox_unread"] = notify_web.unread_badge
    app.state.templates.env.globals["opening_url"] = pull_web.opening_url
    app.state.secret_key = settings.resolved_secret_key()
    # Inside the session middleware (added after it, so it runs later): the signed session is decoded.
    app.add_middleware(BodyLimitMiddleware, limits=settings.body_limits())
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
        session_cookie="learnbridge_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    install_error_handlers(app)
    install_openapi(app)
    static_dir = settings.static_dir or STATIC_DIR
    app.state.templates.env.globals["asset"] = functools.partial(asset_url, static_dir)
    app.mount("/static", compressed(StaticFiles(directory=static_dir)), name="static")
    # Outermost: every response the app gives, errors and refusals included, carries these headers.
    axe = script_hash(AXE_IN_CHECKOUT)
    # Kept for the pages that widen it for one response (a video played from another site).
    app.state.content_security_policy = content_security_policy((axe,) if axe else ())
    # Requests queue for a turn before the session is decoded and a thread is taken (core.admission).
    app.add_middleware(AdmissionLimit, limit=settings.concurrent_requests)
    # Probes answered inside the security headers, before the layers below (core.health).
    app.add_middleware(HealthCheck, engine=engine, version=__version__)
    app.add_middleware(
        SecurityHeadersMiddleware, policy=app.state.content_security_policy, hsts=settings.cookie_secure
    )

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return render(request, "api_docs.html")

    for api in (
        accounts_api,
        people_api,
        skills_api,
        catalog_api,
        content_api,
        content_media_api,
        content_quiz_api,
        content_scorm_api,
        notify_api,
        push_api,
        push_oversight_api,
        sessions_api,
        pull_api,
        pull_recommend_api,
        voice_api,
        records_statements_api,
        home_api,
    ):
        app.include_router(
            api.router, prefix="/api/v1", responses=API_ERRORS, dependencies=[Depends(known_query_only)]
        )
    for web in (
        accounts_web,
        home_web,
        people_web,
        skills_web,
        catalog_web,
        content_web,
        content_media_web,
        content_quiz_web,
        notify_web,
        push_web,
        push_team_web,
        push_fulfilment_web,
        sessions_web,
        sessions_admin_web,
        pull_web,
        pull_recommend_web,
        voice_web,
        lrs_api,
        lrs_documents_api,
        lrs_clients_web,
        cmi5_web,
        tincan_web,
    ):
        app.include_router(web.router)
    app.include_router(cmi5_web.fetch_router)
    prefilter_routers(app)
    return app
