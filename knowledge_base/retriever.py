"""Hybrid FAQ retrieval: BM25 and dense rankings fused by reciprocal rank fusion, with a confidence.

The confidence of the best entry combines how strongly each retriever
supports it; below ``threshold`` the retriever answers "not found" (the bot
then offers a staff member and the question is logged for the admins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Hashable, List, Optional, Sequence

from knowledge_base.analysis import terms
from knowledge_base.bm25 import IncrementalBM25
from knowledge_base.dense import DenseIndex

RRF_K = 60
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Document:
    """What the retriever knows of an entry: its id and the texts customers may ask it with."""

    id: Hashable
    question: str
    alternatives: Sequence[str] = ()
    tags: Sequence[str] = ()

    @property
    def phrasings(self) -> List[str]:
        return [self.question, *self.alternatives]


@dataclass(frozen=True)
class Hit:
    id: Hashable
    score: float
    bm25: float = 0.0
    dense: float = 0.0


@dataclass
class SearchResult:
    answered: bool
    hits: List[Hit] = field(default_factory=list)


class HybridRetriever:
    def __init__(self, dense: Optional[DenseIndex] = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.bm25 = IncrementalBM25()
        self.dense = dense if dense is not None else DenseIndex()
        self.threshold = threshold

    def __len__(self) -> int:
        return len(self.bm25)

    def upsert(self, document: Document) -> None:
        lexical = [t for text in [*document.phrasings, " ".join(document.tags)] for t in terms(text)]
        self.bm25.upsert(document.id, lexical)
        self.dense.upsert(document.id, document.phrasings)

    def remove(self, document_id: Hashable) -> None:
        self.bm25.remove(document_id)
        self.dense.remove(document_id)

    def search(self, query: str, k: int = 3) -> SearchResult:
        if not query or not query.strip() or not len(self):
            return SearchResult(False)
        depth = max(20, k * 4)
        lexical = self.bm25.search(terms(query), depth)
        dense = self.dense.search(query, depth)
        fused: Dict[Hashable, float] = {}
        for ranking in (lexical, dense):
            for rank, (doc_id, _) in enumerate(ranking):
                fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        bm25_scores, dense_scores = dict(lexical), dict(dense)
        top_bm25 = lexical[0][1] if lexical else 1.0
        hits = [
            Hit(doc_id, self._confidence(doc_id, lexical, dense, bm25_scores, dense_scores, top_bm25),
                bm25_scores.get(doc_id, 0.0), dense_scores.get(doc_id, 0.0))
            for doc_id in sorted(fused, key=lambda d: -fused[d])[:k]
        ]
        return SearchResult(bool(hits) and hits[0].score >= self.threshold, hits)

    @staticmethod
    def _confidence(doc_id, lexical, dense, bm25_scores, dense_scores, top_bm25) -> float:
        """In [0, 1]: the dense cosine, raised when both retrievers rank the entry first."""
        cosine = max(0.0, dense_scores.get(doc_id, 0.0))
        lexical_share = bm25_scores.get(doc_id, 0.0) / top_bm25 if top_bm25 else 0.0
        agreement = 1.0 if (lexical and dense and lexical[0][0] == dense[0][0] == doc_id) else 0.0
        return round(min(1.0, 0.6 * cosine + 0.25 * lexical_share + 0.15 * agreement), 4)
