"""The web app: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import yaml
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from knowledge_base import store
from knowledge_base.retriever import HybridRetriever
from knowledge_base.service import KnowledgeBase
from webapp import auth, kb_routes
from webapp.settings import Settings
from webkit.db import make_engine
from webkit.errors import install as install_error_handlers
from webkit.orm import Base

log = logging.getLogger("uvicorn.error")
SEED_AUTHOR = "seed"


def prepare(settings: Settings, engine: Engine, sessions: sessionmaker) -> None:
    """Tables, the first admin, and the seed entries in an empty knowledge base."""
    Base.metadata.create_all(engine)
    with sessions.begin() as session:
        auth.ensure_user(session, settings.admin_username, settings.admin_password, auth.ADMIN)
        if not store.listing(session) and settings.seed_file.exists():
            rows = yaml.safe_load(settings.seed_file.read_text(encoding="utf-8"))["entries"]
            log.info("seeded %d knowledge-base entries", store.import_entries(session, rows, SEED_AUTHOR))


def create_app(settings: Settings, retriever: HybridRetriever | None = None) -> FastAPI:
    engine = make_engine(settings.database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    kb = KnowledgeBase(sessions, retriever or HybridRetriever(threshold=settings.threshold), settings.sync_interval)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await run_in_threadpool(prepare, settings, engine, sessions)
        await run_in_threadpool(kb.load)
        kb.follow()
        yield
        kb.stop()
        engine.dispose()

    app = FastAPI(title="Trợ lý ảo CSKH: web app", lifespan=lifespan)
    app.state.settings, app.state.sessions, app.state.kb = settings, sessions, kb
    install_error_handlers(app)

    @app.get("/health", tags=["health"])
    def health() -> dict:
        return {"status": "ok", "kb_entries": len(kb.retriever)}

    app.include_router(auth.router())
    app.include_router(kb_routes.router())
    return app
