"""The web app: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from knowledge_base import store
from knowledge_base.dense import DenseIndex
from knowledge_base.retriever import HybridRetriever
from knowledge_base.service import KnowledgeBase
from webapp import kb_admin, kb_routes, migrations
from webapp.import_jobs import ImportJobs
from webapp.settings import Settings
from webkit import accounts
from webkit.accounts import hashing
from webkit.accounts import users as accounts_users
from webkit.accounts.throttle import MemoryLoginThrottle
from webkit.db import make_engine
from webkit.errors import install as install_error_handlers
from webkit.guards import BodyLimit, HostGuard, JsonOnly

log = logging.getLogger("uvicorn.error")
SEED_AUTHOR = "seed"
ADMIN_DIR = Path(__file__).resolve().parent / "admin"
# The pages' shared library (DOM helpers, API client, error texts by code, sign-in): native ES modules
# that every service with pages serves at /kit/ (webkit/static/js/ -> /kit/js/).
KIT_DIR = Path(__file__).resolve().parent.parent / "webkit" / "static"
PAGE_PREFIXES = ("/admin/", "/kit/")
# The admin page loads only its own files; the answer preview is sanitized HTML, never a script.
ADMIN_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def prepare(settings: Settings, engine: Engine, sessions: sessionmaker) -> None:
    """The first admin, and the seed entries in an empty knowledge base. The tables are the migrations'
    (``python -m webapp`` runs them before serving): a database not at their newest revision is refused."""
    migrations.check_at_head(engine)
    hashing.dummy_hash()  # computed now: the first unknown username costs no more than the others
    with sessions.begin() as session:
        accounts_users.ensure_user(session, settings.admin_username, settings.admin_password, accounts.ADMIN)
        if not store.listing(session) and settings.seed_file.exists():
            rows = yaml.safe_load(settings.seed_file.read_text(encoding="utf-8"))["entries"]
            log.info("seeded %d knowledge-base entries", store.import_entries(session, rows, SEED_AUTHOR).total)


def create_app(settings: Settings, retriever: HybridRetriever | None = None) -> FastAPI:
    engine = make_engine(settings.database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    if retriever is None:
        dense = DenseIndex(settings.embedding.model or None, settings.embedding.input_form)
        retriever = HybridRetriever(dense, threshold=settings.threshold)
    kb = KnowledgeBase(sessions, retriever, settings.sync_interval)
    import_jobs = ImportJobs()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await run_in_threadpool(prepare, settings, engine, sessions)
        await run_in_threadpool(kb.load)
        kb.follow()
        if not settings.kb_log_token:
            log.warning("KB_LOG_TOKEN is not set: no search adds to the unanswered questions (`make` generates it)")
        yield
        import_jobs.stop()
        kb.stop()
        engine.dispose()

    app = FastAPI(title="Trợ lý ảo CSKH: web app", lifespan=lifespan)
    app.state.settings, app.state.sessions, app.state.kb = settings, sessions, kb
    app.state.import_jobs = import_jobs
    install_error_handlers(app)
    # The admin page signs in with the session cookie (HttpOnly, Secure, SameSite=Strict, CSRF token);
    # scripts with a bearer token. The users' tables live in this database (webkit.accounts.models).
    accounts.install(app, accounts.Accounts(
        sessions=sessions, throttle=MemoryLoginThrottle(settings.login),
        cookie=accounts.CookiePolicy(secure=not settings.insecure_dev_cookie)))

    @app.get("/health", tags=["health"])
    def health() -> dict:
        return {"status": "ok", "kb_entries": len(kb.retriever)}

    app.include_router(kb_routes.router())
    app.include_router(kb_admin.router())

    @app.api_route("/admin", methods=["GET", "HEAD"], include_in_schema=False)
    def admin_page() -> RedirectResponse:
        return RedirectResponse("/admin/", status_code=307)

    @app.middleware("http")
    async def admin_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path.startswith(PAGE_PREFIXES):
            response.headers.update(ADMIN_HEADERS)
        return response

    app.mount("/admin", StaticFiles(directory=ADMIN_DIR, html=True), name="admin")
    app.mount("/kit", StaticFiles(directory=KIT_DIR), name="kit")
    # Before routing, outermost first: Host (400), body size (413), JSON only (415).
    app.add_middleware(JsonOnly, form_paths=[kb_admin.IMPORT_PATH])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       limits={kb_admin.IMPORT_PATH: settings.upload_max_bytes})
    app.add_middleware(HostGuard, allowed=settings.allowed_hosts)
    return app
