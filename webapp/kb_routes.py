"""Knowledge-base HTTP API: public search for the bot, authenticated editing for admins.

The search is public, but only the bot may add a question it could not answer to the admins'
list: ``log=true`` logs only with the header ``X-KB-Log-Token`` equal to the setting
KB_LOG_TOKEN (compared in constant time). Without it (or with a wrong one) ``log=true`` is
ignored: the search still answers, with ``logged: false``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from typing import Annotated, Any, Dict, List, Optional

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from knowledge_base import store
from knowledge_base.models import DRAFT, Entry, EntryVersion
from webkit.accounts import AdminUser

logger = logging.getLogger("uvicorn.error")
LOG_TOKEN_HEADER = "X-KB-Log-Token"
MAX_ID = 2**31 - 1  # database integers (PostgreSQL's INTEGER): a larger id is a 422, never a 500
# Path parameters checked before any lookup: an id outside these cannot exist (422, not 500).
EntryId = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$",
                              description="an entry id (store.ID_PATTERN)")]
QuestionId = Annotated[int, Path(ge=1, le=MAX_ID, description="an unanswered question's id")]


class ResultOut(BaseModel):
    id: str
    question: str
    answer: str
    source: str
    score: float


class SearchOut(BaseModel):
    answered: bool
    results: List[ResultOut]
    logged: bool = Field(False, description="the question was added to the admins' unanswered list (only with "
                                           "log=true, the bot's X-KB-Log-Token, and no answer)")


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Optional[str] = Field(default=None, max_length=80)
    question: Optional[str] = Field(default=None, max_length=2000)
    alternatives: Optional[List[str]] = None
    answer: Optional[str] = Field(default=None, max_length=20000)
    category: Optional[str] = Field(default=None, max_length=60)
    tags: Optional[List[str]] = None
    source: Optional[str] = Field(default=None, max_length=2000)
    status: Optional[str] = Field(default=None, max_length=12)
    version: Optional[int] = Field(default=None, ge=1, le=MAX_ID,
                                   description="the version being edited (optimistic locking)")


class EntryOut(BaseModel):
    id: str
    question: str
    alternatives: List[str]
    answer: str
    category: str
    tags: List[str]
    source: str
    status: str
    version: int
    updated_by: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, entry: Entry) -> "EntryOut":
        return cls(id=entry.id, version=entry.version, updated_by=entry.updated_by, updated_at=entry.updated_at,
                   **{k: v for k, v in entry.content().items() if k != "deleted"})


class VersionOut(BaseModel):
    version: int
    action: str
    author: str
    created_at: dt.datetime
    snapshot: Dict[str, Any]

    @classmethod
    def of(cls, row: EntryVersion) -> "VersionOut":
        return cls(version=row.version, action=row.action, author=row.author, created_at=row.created_at,
                   snapshot=row.snapshot)


class RevertIn(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)


class UnansweredOut(BaseModel):
    id: int
    text: str
    count: int
    first_asked_at: dt.datetime
    last_asked_at: dt.datetime

    @classmethod
    def of(cls, row) -> "UnansweredOut":
        return cls(id=row.id, text=row.text, count=row.count, first_asked_at=row.first_asked_at,
                   last_asked_at=row.last_asked_at)


def write(request: Request, change) -> EntryOut:
    """Run ``change(session)`` in a transaction, then make it visible to this replica's search at once."""
    with request.app.state.sessions.begin() as session:
        entry = change(session)
        out = EntryOut.of(entry)
    request.app.state.kb.sync()  # other replicas follow the change log
    return out


def may_log(request: Request, given: str) -> bool:
    """Whether ``given`` is the bot's KB_LOG_TOKEN (never when the setting is empty)."""
    expected = request.app.state.settings.kb_log_token
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


def router() -> APIRouter:
    api = APIRouter(prefix="/api/kb", tags=["knowledge base"])
    @api.get("/search", response_model=SearchOut)
    def search(request: Request, q: str = Query(max_length=2000), k: int = Query(3, ge=1, le=20),
               log: bool = Query(False, description="log the question for the admins when not answered: the "
                                                    "bot's calls only (header X-KB-Log-Token), else ignored"),
               log_token: str = Header("", alias=LOG_TOKEN_HEADER, max_length=200,
                                       description="the bot's KB_LOG_TOKEN, for log=true")) -> SearchOut:
        kb = request.app.state.kb
        result = kb.search(q, k)
        entries = {e.id: e for e in kb.entries([hit.id for hit in result.hits])}
        logged = False
        if log and not result.answered and q.strip():
            if may_log(request, log_token):
                with request.app.state.sessions.begin() as session:
                    store.log_unanswered(session, q)
                logged = True
            elif log_token:
                logger.warning("search with log=true and a wrong %s: not logged", LOG_TOKEN_HEADER)
        return SearchOut(answered=result.answered, logged=logged, results=[
            ResultOut(id=hit.id, question=entries[hit.id].question, answer=entries[hit.id].answer,
                      source=entries[hit.id].source or "", score=hit.score)
            for hit in result.hits if hit.id in entries
        ])

    @api.get("/entries", response_model=List[EntryOut])
    def list_entries(request: Request, user: AdminUser, q: str = Query("", max_length=200),
                     category: str = Query("", max_length=60), status: str = Query("", max_length=12)) -> List[EntryOut]:
        with request.app.state.sessions() as session:
            return [EntryOut.of(e) for e in store.listing(session, q, category, status)]

    @api.post("/entries", response_model=EntryOut, status_code=201)
    def create_entry(body: EntryIn, request: Request, user: AdminUser) -> EntryOut:
        data = body.model_dump(exclude_none=True)
        return write(request, lambda s: store.create(s, data, user.username, data.get("status", DRAFT)))

    @api.get("/entries/{entry_id}", response_model=EntryOut)
    def get_entry(request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        with request.app.state.sessions() as session:
            return EntryOut.of(store.get(session, entry_id))

    @api.put("/entries/{entry_id}", response_model=EntryOut)
    def update_entry(body: EntryIn, request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        data = body.model_dump(exclude_none=True)
        return write(request, lambda s: store.edit(s, entry_id, data, user.username, data.get("version")))

    @api.post("/entries/{entry_id}/publish", response_model=EntryOut)
    def publish(request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        return write(request, lambda s: store.set_status(s, entry_id, "published", user.username))

    @api.post("/entries/{entry_id}/unpublish", response_model=EntryOut)
    def unpublish(request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        return write(request, lambda s: store.set_status(s, entry_id, DRAFT, user.username))

    @api.delete("/entries/{entry_id}", response_model=EntryOut)
    def delete_entry(request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        return write(request, lambda s: store.delete(s, entry_id, user.username))

    @api.get("/entries/{entry_id}/history", response_model=List[VersionOut])
    def entry_history(request: Request, entry_id: EntryId, user: AdminUser) -> List[VersionOut]:
        with request.app.state.sessions() as session:
            return [VersionOut.of(row) for row in store.history(session, entry_id)]

    @api.post("/entries/{entry_id}/revert", response_model=EntryOut)
    def revert_entry(body: RevertIn, request: Request, entry_id: EntryId, user: AdminUser) -> EntryOut:
        return write(request, lambda s: store.revert(s, entry_id, body.version, user.username))

    @api.get("/unanswered", response_model=List[UnansweredOut])
    def unanswered_questions(request: Request, user: AdminUser) -> List[UnansweredOut]:
        with request.app.state.sessions() as session:
            return [UnansweredOut.of(r) for r in store.unanswered(session)]

    return api
