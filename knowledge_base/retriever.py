"""Hybrid FAQ retrieval: BM25 and dense rankings fused by a learned weighting, with a calibrated confidence.

Three rankings are computed for a query: BM25 over each entry's phrasings
(question, alternatives, tags), BM25 over its answer, and the dense index over
its phrasings. Their candidates are scored by the fusion
(``knowledge_base.fusion``, runtime scoring only: the weights are learned
offline by ``knowledge_base.learning``); the confidence is the probability
that the best one answers the question. Below ``threshold`` the retriever
answers "not found" (the bot then offers a staff member and the question is
logged). The embedding model and the form of text it reads come with the
``DenseIndex`` given (the web app builds it from its settings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, List, Optional, Sequence, Tuple

import numpy as np

from knowledge_base import fusion as fusion_module
from knowledge_base.analysis import terms
from knowledge_base.bm25 import IncrementalBM25
from knowledge_base.dense import DenseIndex

DEFAULT_THRESHOLD = 0.5
DEPTH = 20


@dataclass(frozen=True)
class Document:
    """What the retriever knows of an entry: its id, the texts customers may ask it with, its answer."""

    id: Hashable
    question: str
    alternatives: Sequence[str] = ()
    tags: Sequence[str] = ()
    answer: str = ""

    @property
    def phrasings(self) -> List[str]:
        return [self.question, *self.alternatives]


@dataclass(frozen=True)
class Hit:
    """A ranked entry. ``score``: the confidence for the best one, its own ranking probability (never
    above the best's) for the others; ``bm25``: its phrasing BM25 as a share of the best; ``dense``: its cosine."""

    id: Hashable
    score: float
    bm25: float = 0.0
    dense: float = 0.0


@dataclass
class SearchResult:
    answered: bool
    hits: List[Hit] = field(default_factory=list)
    confidence: float = 0.0


class HybridRetriever:
    def __init__(self, dense: Optional[DenseIndex] = None, threshold: float = DEFAULT_THRESHOLD,
                 fusion: Optional[fusion_module.Fusion] = None) -> None:
        self.bm25 = IncrementalBM25()
        self.answers = IncrementalBM25()
        self.dense = dense if dense is not None else DenseIndex()
        self.fusion = fusion if fusion is not None else fusion_module.for_model(self.dense.model_name)
        self.threshold = threshold

    def __len__(self) -> int:
        return len(self.bm25)

    def upsert(self, document: Document) -> None:
        self.bm25.upsert(document.id, [t for text in [*document.phrasings, " ".join(document.tags)] for t in terms(text)])
        self.answers.upsert(document.id, terms(document.answer))
        self.dense.upsert(document.id, document.phrasings)

    def remove(self, document_id: Hashable) -> None:
        self.bm25.remove(document_id)
        self.answers.remove(document_id)
        self.dense.remove(document_id)

    def candidates(self, query: str, depth: int = DEPTH) -> Tuple[List[Hashable], np.ndarray]:
        """Candidate ids and their fusion features (``fusion.CANDIDATE_FEATURES``), one row each."""
        query_terms = terms(query)
        lexical = self.bm25.search(query_terms, depth)
        answers = self.answers.search(query_terms, depth)
        dense = self.dense.search(query, depth)
        ids = list(dict.fromkeys(doc_id for ranking in (lexical, dense, answers) for doc_id, _ in ranking))
        if not ids:
            return [], np.zeros((0, len(fusion_module.CANDIDATE_FEATURES)))
        cosines = self.dense.similarities(query, ids) if dense else {}
        coverage = self.bm25.coverage(query_terms, ids)
        answer_coverage = self.answers.coverage(query_terms, ids)
        bm25_top = lexical[0][1] if lexical else 0.0
        answer_top = answers[0][1] if answers else 0.0
        cosine_top = dense[0][1] if dense else 0.0
        lexical_rank = {doc_id: rank for rank, (doc_id, _) in enumerate(lexical)}
        answer_rank = {doc_id: rank for rank, (doc_id, _) in enumerate(answers)}
        dense_rank = {doc_id: rank for rank, (doc_id, _) in enumerate(dense)}
        lexical_score, answer_score = dict(lexical), dict(answers)
        rows = []
        for doc_id in ids:
            cosine = cosines.get(doc_id, 0.0)
            rows.append([
                lexical_score.get(doc_id, 0.0) / bm25_top if bm25_top else 0.0,
                1.0 / (1 + lexical_rank[doc_id]) if doc_id in lexical_rank else 0.0,
                answer_score.get(doc_id, 0.0) / answer_top if answer_top else 0.0,
                1.0 / (1 + answer_rank[doc_id]) if doc_id in answer_rank else 0.0,
                cosine,
                cosine - cosine_top,
                1.0 / (1 + dense_rank[doc_id]) if doc_id in dense_rank else 0.0,
                coverage[doc_id],
                answer_coverage[doc_id],
            ])
        return ids, np.asarray(rows, dtype="float64")

    def search(self, query: str, k: int = 3) -> SearchResult:
        if not query or not query.strip() or not len(self):
            return SearchResult(False)
        ids, features = self.candidates(query)
        if not ids:
            return SearchResult(False)
        scores = self.fusion.rank_scores(features)
        order = np.argsort(-scores, kind="stable")
        confidence = round(self.fusion.confidence(scores, features), 4)
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        hits = [Hit(ids[i], confidence if rank == 0 else round(float(min(probabilities[i], confidence)), 4),
                    round(float(features[i][0]), 4), round(float(features[i][fusion_module.COSINE]), 4))
                for rank, i in enumerate(order[:k])]
        return SearchResult(confidence >= self.threshold, hits, confidence)
