"""Versioned storage of the entries: every write is a new version, recorded with its author and time.

Writes also append to the change log (``kb_changes``) that the retriever of
every replica follows, so an edit changes the answers without a restart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.text.vietnamese import fold_diacritics
from knowledge_base.models import DRAFT, PUBLISHED, STATUSES, Change, Entry, EntryVersion, UnansweredQuestion
from knowledge_base.retriever import Document
from webkit.errors import BLANK, MISSING, NOT_ALLOWED, STALE, TAKEN, TOO_LONG, conflict, invalid, not_found
from webkit.orm import utcnow

EDITABLE = ("question", "alternatives", "answer", "category", "tags", "source")
MAX_TEXT = 20_000
MAX_ALTERNATIVES = 50
MAX_LENGTH = {"question": 2000, "category": 60, "source": 2000}  # the answer: MAX_TEXT
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
INVALID_ID = "invalid_id"  # the field code of an id that is not lower-case letters, digits and dashes
# resolved_entry_id of an unanswered question an admin dismissed (never an entry id: ids have no colon).
DISMISSED = ":dismissed"


def slug(text: str) -> str:
    """``Cấp điện mới mất bao lâu?`` -> ``cap-dien-moi-mat-bao-lau``."""
    folded = fold_diacritics(unicodedata.normalize("NFC", text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "muc"


def clean(data: Dict[str, Any], partial: bool = False) -> Dict[str, Any]:
    """Validate editable fields; a clear 422 names the field that is wrong."""
    out: Dict[str, Any] = {}
    for field in EDITABLE:
        if field not in data:
            if not partial and field in ("question", "answer"):
                raise invalid(field, "is required", MISSING)
            continue
        value = data[field]
        if field in ("alternatives", "tags"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise invalid(field, "must be a list of strings", type="list")
            value = [" ".join(v.split()) for v in value if v.strip()][:MAX_ALTERNATIVES]
        else:
            if not isinstance(value, str):
                raise invalid(field, "must be a string", type="string")
            value = value.strip()
            if field in ("question", "answer") and not value:
                raise invalid(field, "must not be empty", BLANK)
            limit = MAX_LENGTH.get(field, MAX_TEXT)
            if len(value) > limit:
                raise invalid(field, f"is longer than {limit} characters", TOO_LONG, max_length=limit)
        out[field] = value
    return out


def check_id(entry_id: str) -> str:
    if not ID_PATTERN.fullmatch(entry_id):
        raise invalid("id", "lower-case letters, digits and dashes only", INVALID_ID)
    return entry_id


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise invalid("status", f"must be one of {', '.join(STATUSES)}", NOT_ALLOWED, allowed=list(STATUSES))
    return status


def document_of(entry: Entry) -> Document:
    return Document(entry.id, entry.question, tuple(entry.alternatives or ()), tuple(entry.tags or ()), entry.answer or "")


def get(session: Session, entry_id: str) -> Entry:
    entry = session.get(Entry, entry_id)
    if entry is None or entry.deleted:
        raise not_found("no such entry")
    return entry


def _record(session: Session, entry: Entry, action: str, author: str) -> None:
    session.add(EntryVersion(entry_id=entry.id, version=entry.version, action=action,
                             snapshot=entry.content(), author=author))
    session.add(Change(entry_id=entry.id))


def _check_version(entry: Entry, expected: Optional[int]) -> None:
    if expected is not None and expected != entry.version:
        raise conflict(f"this entry is at version {entry.version}, not the one edited: reload it first",
                       "version", STALE, current=entry.version)


def create(session: Session, data: Dict[str, Any], author: str, status: str = DRAFT) -> Entry:
    fields = clean(data)
    check_status(status)
    entry_id = check_id(str(data.get("id") or "").strip() or slug(fields["question"]))
    existing = session.get(Entry, entry_id)
    if existing is not None and not existing.deleted:
        raise conflict("an entry with this id already exists", "id", TAKEN)
    if existing is not None:  # re-created after a delete: history continues
        entry = existing
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.deleted, entry.status, entry.version = False, status, entry.version + 1
    else:
        entry = Entry(id=entry_id, status=status, version=1, **fields)
        session.add(entry)
    entry.updated_by, entry.updated_at = author, utcnow()
    session.flush()
    _record(session, entry, "create", author)
    return entry


def update(session: Session, entry_id: str, data: Dict[str, Any], author: str,
           expected_version: Optional[int] = None) -> Entry:
    entry = get(session, entry_id)
    _check_version(entry, expected_version)
    for key, value in clean(data, partial=True).items():
        setattr(entry, key, value)
    return _bump(session, entry, "update", author)


def edit(session: Session, entry_id: str, data: Dict[str, Any], author: str,
         expected_version: Optional[int] = None) -> Entry:
    """What the edit form saves: the changed fields (one version), then the status if it changed.

    Nothing changed, nothing written: the entry keeps its version.
    """
    entry = get(session, entry_id)
    _check_version(entry, expected_version)
    status = check_status(data["status"]) if data.get("status") else entry.status
    current = entry.content()
    if any(current[key] != value for key, value in clean(data, partial=True).items()):
        update(session, entry_id, data, author)
    if status != entry.status:
        set_status(session, entry_id, status, author)
    return entry


def set_status(session: Session, entry_id: str, status: str, author: str) -> Entry:
    check_status(status)
    entry = get(session, entry_id)
    entry.status = status
    return _bump(session, entry, "publish" if status == PUBLISHED else "unpublish", author)


def delete(session: Session, entry_id: str, author: str) -> Entry:
    entry = get(session, entry_id)
    entry.deleted = True
    return _bump(session, entry, "delete", author)


def revert(session: Session, entry_id: str, version: int, author: str) -> Entry:
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise not_found("no such entry")
    old = session.scalar(select(EntryVersion).where(EntryVersion.entry_id == entry_id, EntryVersion.version == version))
    if old is None:
        raise not_found("this entry has no such version")
    for key, value in old.snapshot.items():
        setattr(entry, key, value)
    return _bump(session, entry, "revert", author)


def _bump(session: Session, entry: Entry, action: str, author: str) -> Entry:
    entry.version += 1
    entry.updated_by, entry.updated_at = author, utcnow()
    session.flush()
    _record(session, entry, action, author)
    return entry


def history(session: Session, entry_id: str) -> List[EntryVersion]:
    if session.get(Entry, entry_id) is None:
        raise not_found("no such entry")
    return list(session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry_id).order_by(EntryVersion.version.desc())
    ))


def _folded(text: str) -> str:
    return fold_diacritics(unicodedata.normalize("NFC", text)).lower()


def listing(session: Session, text: str = "", category: str = "", status: str = "") -> List[Entry]:
    """Entries by category and id; ``text`` matches id, question, phrasings, answer and tags,
    with or without diacritics (``hoa don`` finds ``Hóa đơn``)."""
    query = select(Entry).where(Entry.deleted.is_(False))
    if category:
        query = query.where(Entry.category == category)
    if status:
        query = query.where(Entry.status == status)
    entries = list(session.scalars(query.order_by(Entry.category, Entry.id)))
    words = _folded(text).split()
    if not words:
        return entries

    def matches(entry: Entry) -> bool:
        haystack = _folded(" ".join([entry.id, entry.question, entry.answer, *(entry.alternatives or ()),
                                     *(entry.tags or ())]))
        return all(word in haystack for word in words)

    return [entry for entry in entries if matches(entry)]


def published(session: Session) -> List[Entry]:
    return list(session.scalars(select(Entry).where(Entry.deleted.is_(False), Entry.status == PUBLISHED)))


def changes_since(session: Session, seq: int) -> List[Tuple[int, str]]:
    return [(c.seq, c.entry_id) for c in session.scalars(select(Change).where(Change.seq > seq).order_by(Change.seq))]


def last_change(session: Session) -> int:
    return session.scalar(select(func.max(Change.seq))) or 0


def log_unanswered(session: Session, text: str) -> UnansweredQuestion:
    """Record a question the bot could not answer (the same question counts up)."""
    text = " ".join(text.split())[:2000]
    key = fold_diacritics(text).lower()[:500]
    row = session.scalar(select(UnansweredQuestion).where(
        UnansweredQuestion.key == key, UnansweredQuestion.resolved_entry_id.is_(None)))
    if row is None:
        row = UnansweredQuestion(text=text, key=key)
        session.add(row)
    else:
        row.count += 1
        row.last_asked_at = utcnow()
    session.flush()
    return row


def unanswered(session: Session) -> List[UnansweredQuestion]:
    return list(session.scalars(select(UnansweredQuestion).where(UnansweredQuestion.resolved_entry_id.is_(None))
                                .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked_at.desc())))


def open_unanswered(session: Session, question_id: int) -> UnansweredQuestion:
    row = session.get(UnansweredQuestion, question_id)
    if row is None or row.resolved_entry_id is not None:
        raise not_found(f"no open unanswered question {question_id}")
    return row


def resolve_unanswered(session: Session, question_id: int, entry_id: str) -> UnansweredQuestion:
    """The question is answered by ``entry_id`` now: it leaves the admins' list."""
    row = open_unanswered(session, question_id)
    row.resolved_entry_id = get(session, entry_id).id
    session.flush()
    return row


def dismiss_unanswered(session: Session, question_id: int) -> UnansweredQuestion:
    row = open_unanswered(session, question_id)
    row.resolved_entry_id = DISMISSED
    session.flush()
    return row


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def import_entries(session: Session, rows: Iterable[Dict[str, Any]], author: str,
                   status: str = PUBLISHED) -> ImportCounts:
    """Create or update entries from dictionaries (seed file, spreadsheet import).

    A row's own ``status`` wins; without one, a new entry gets ``status`` and an
    existing entry keeps its own. A row that changes nothing writes no version.
    The caller's transaction makes the whole import one change.
    """
    counts = ImportCounts()
    for row in rows:
        existing = session.get(Entry, row.get("id") or slug(row.get("question", "")))
        if existing is None or existing.deleted:
            create(session, row, author, check_status(row.get("status") or status))
            counts.created += 1
            continue
        version = existing.version
        edit(session, existing.id, row, author)
        if existing.version == version:
            counts.unchanged += 1
        else:
            counts.updated += 1
    return counts
