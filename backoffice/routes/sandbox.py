"""Sandbox-only endpoints, served when BACKOFFICE_ALLOW_RESET=true; a real back office has none."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request, Response

from backoffice.guard import AttemptLimiter
from backoffice.seed import reset_database

router = APIRouter(prefix="/sandbox", tags=["sandbox"])
log = logging.getLogger("uvicorn.error")


@router.post("/reset", status_code=204, response_class=Response)
def reset_sandbox(request: Request) -> Response:
    """Drops and reseeds the database relative to the clock: the same rows as a fresh start
    (the seed's request codes, verification and lookup attempts forgotten)."""
    state = request.app.state
    started = time.perf_counter()
    reset_database(state.engine, state.settings.clock)
    state.verify_limiter = AttemptLimiter()
    state.lookup_limiter = AttemptLimiter(max_failures=state.lookup_limiter.max_failures,
                                          window=state.lookup_limiter.window)
    log.info("sandbox reset and reseeded for %s in %.2f s", state.settings.clock.now().isoformat(sep=" "),
             time.perf_counter() - started)
    return Response(status_code=204)
