"""The live knowledge base of one process: the retriever kept in step with the database.

Every write appends to the change log; :meth:`KnowledgeBase.sync` applies the
changes this process has not seen yet (only the changed entries are
re-indexed). The writing process syncs right after its commit; every replica
also follows the log in a background thread, so edits made elsewhere show up
within ``sync_interval`` seconds.
"""

from __future__ import annotations

import logging
import threading
from typing import List, Optional

from sqlalchemy.orm import Session, sessionmaker

from knowledge_base import store
from knowledge_base.models import PUBLISHED, Entry
from knowledge_base.retriever import HybridRetriever, SearchResult

log = logging.getLogger("knowledge_base")


class KnowledgeBase:
    def __init__(self, sessions: sessionmaker[Session], retriever: Optional[HybridRetriever] = None,
                 sync_interval: float = 0.5) -> None:
        self.sessions = sessions
        self.retriever = retriever if retriever is not None else HybridRetriever()
        self.sync_interval = sync_interval
        self._seen = 0
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def load(self) -> int:
        """Index every published entry; returns how many."""
        with self.sessions() as session, self._lock:
            self._seen = store.last_change(session)
            entries = store.published(session)
            for entry in entries:
                self.retriever.upsert(store.document_of(entry))
        log.info("knowledge base loaded: %d published entries", len(entries))
        return len(entries)

    def sync(self) -> int:
        """Apply the changes made since the last sync; returns how many entries changed."""
        with self.sessions() as session, self._lock:
            changes = store.changes_since(session, self._seen)
            for entry_id in dict.fromkeys(entry_id for _, entry_id in changes):
                entry = session.get(Entry, entry_id)
                if entry is not None and entry.status == PUBLISHED and not entry.deleted:
                    self.retriever.upsert(store.document_of(entry))
                else:
                    self.retriever.remove(entry_id)
            if changes:
                self._seen = changes[-1][0]
            return len(changes)

    def search(self, query: str, k: int = 3) -> SearchResult:
        with self._lock:
            return self.retriever.search(query, k)

    def entries(self, ids: List[str]) -> List[Entry]:
        with self.sessions() as session:
            found = {e.id: e for e in session.query(Entry).filter(Entry.id.in_(ids))}
        return [found[i] for i in ids if i in found]

    def follow(self) -> None:
        """Start following the change log in the background (other replicas' edits)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._follow, name="kb-follow", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _follow(self) -> None:
        while not self._stop.wait(self.sync_interval):
            try:
                self.sync()
            except Exception:  # a database hiccup must not kill the follower
                log.exception("knowledge base sync failed; retrying")
