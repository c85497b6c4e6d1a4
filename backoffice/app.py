"""The FastAPI application: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from backoffice import API_VERSION
from backoffice.db import session_factory
from webkit.db import make_engine
from webkit.errors import install as install_error_handlers
from backoffice import errors
from backoffice.guard import AttemptLimiter
from backoffice.middleware import ApiKeyMiddleware, BodyLimitMiddleware, HostCheckMiddleware, JsonBodyMiddleware
from backoffice.routes import v1_router
from backoffice.schemas import HealthOut
from backoffice.seed import SeedError, prepare_database
from backoffice.settings import Settings, SettingsError

MAX_BODY_BYTES = 64 * 1024
# Request status by code: wrong phone digits allowed per code within the window (seconds).
LOOKUP_MAX_FAILURES = 5
LOOKUP_WINDOW = 900.0
log = logging.getLogger("uvicorn.error")  # printed with uvicorn's own messages

DESCRIPTION = """Back office of the customer-care assistant: customers, bills, planned outages
and requests. Every /v1 path needs the `X-API-Key` header; the Host header must name the service
(127.0.0.1, localhost, its configured names); bodies are JSON (`application/json`, 64 KiB at
most). Errors are always
`{"error": {"code": "...", "message": "..."}}` (422 adds `fields`, 429 `retry_after`).
Contract: docs/backoffice_api.md."""


def create_app(settings: Settings) -> FastAPI:
    if not settings.api_key:
        raise SettingsError("BACKOFFICE_API_KEY is not set: the back office refuses to start without an API key")
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Creates the tables and seeds an empty database, relative to the clock.
        where = engine.url.render_as_string(hide_password=True)
        try:
            seeded = await run_in_threadpool(prepare_database, engine, settings.clock)
        except (OperationalError, SeedError) as error:
            log.error("cannot prepare the database %s: %s", where, getattr(error, "orig", None) or error)
            raise
        if seeded:
            log.info("seeded the database %s (it was empty or from an older sandbox) for %s", where,
                     settings.clock.now().isoformat(sep=" "))
        yield
        engine.dispose()

    app = FastAPI(
        title="Back-office sandbox", version=API_VERSION, description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.verify_limiter = AttemptLimiter()
    app.state.lookup_limiter = AttemptLimiter(max_failures=LOOKUP_MAX_FAILURES, window=LOOKUP_WINDOW)
    install_error_handlers(app)
    errors.install(app)
    # The last added runs first: the Host, then the key, then the body's type are checked
    # before any body is read.
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(JsonBodyMiddleware)
    app.add_middleware(ApiKeyMiddleware, api_key=settings.api_key)
    app.add_middleware(HostCheckMiddleware, allowed=settings.allowed_hosts)

    @app.get("/health", response_model=HealthOut, tags=["health"])
    def health() -> HealthOut:
        return HealthOut()

    app.include_router(v1_router(sandbox=settings.allow_reset))
    return app
