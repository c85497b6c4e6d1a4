"""BM25 with incremental updates: adding, replacing or removing a document costs its length."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Dict, Hashable, Iterable, List, Tuple


class IncrementalBM25:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._docs: Dict[Hashable, Counter] = {}
        self._lengths: Dict[Hashable, int] = {}
        self._postings: Dict[str, Dict[Hashable, int]] = defaultdict(dict)
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._docs)

    def upsert(self, doc_id: Hashable, doc_terms: Iterable[str]) -> None:
        self.remove(doc_id)
        counts = Counter(doc_terms)
        self._docs[doc_id] = counts
        length = sum(counts.values())
        self._lengths[doc_id] = length
        self._total_length += length
        for term, count in counts.items():
            self._postings[term][doc_id] = count

    def remove(self, doc_id: Hashable) -> None:
        counts = self._docs.pop(doc_id, None)
        if counts is None:
            return
        self._total_length -= self._lengths.pop(doc_id)
        for term in counts:
            posting = self._postings[term]
            posting.pop(doc_id, None)
            if not posting:
                del self._postings[term]

    def search(self, query_terms: Iterable[str], k: int = 10) -> List[Tuple[Hashable, float]]:
        """The ``k`` best documents for the query, best first, with their BM25 scores."""
        if not self._docs:
            return []
        n = len(self._docs)
        average = self._total_length / n or 1.0
        scores: Dict[Hashable, float] = defaultdict(float)
        for term in set(query_terms):
            posting = self._postings.get(term)
            if not posting:
                continue
            idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc_id, tf in posting.items():
                norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / average)
                scores[doc_id] += idf * tf * (self.k1 + 1) / norm
        return sorted(scores.items(), key=lambda item: -item[1])[:k]
