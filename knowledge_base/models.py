"""Knowledge-base tables: entries, their full version history, the change log replicas follow, unanswered questions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webkit.orm import Base, utcnow

DRAFT, PUBLISHED = "draft", "published"
STATUSES = (DRAFT, PUBLISHED)


class Entry(Base):
    __tablename__ = "kb_entries"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[List[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(60), default="khac")
    tags: Mapped[List[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def content(self) -> Dict[str, Any]:
        """What a version records and a revert restores."""
        return {
            "question": self.question, "alternatives": list(self.alternatives or []), "answer": self.answer,
            "category": self.category, "tags": list(self.tags or []), "source": self.source or "",
            "status": self.status, "deleted": self.deleted,
        }


class EntryVersion(Base):
    __tablename__ = "kb_entry_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[Dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Change(Base):
    """One row per write: every replica applies the changes after the last one it saw."""

    __tablename__ = "kb_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class UnansweredQuestion(Base):
    __tablename__ = "kb_unanswered"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(500), index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_asked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_asked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_entry_id: Mapped[Optional[str]] = mapped_column(String(80), nullable=True)
