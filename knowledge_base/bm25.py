"""BM25 with incremental updates: adding, replacing or removing a document costs its length.

Documents live in integer slots; each term's posting list is a dictionary
(slot -> term frequency), turned into numpy arrays the first time a query
needs it after a change, so a search is a few vector operations per query
term however many documents hold that term.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Dict, Hashable, Iterable, List, Optional, Tuple

import numpy as np


class IncrementalBM25:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._slot_of: Dict[Hashable, int] = {}
        self._doc_at: List[Optional[Hashable]] = []
        self._free: List[int] = []
        self._terms_of: Dict[int, Counter] = {}
        self._lengths = np.zeros(0, dtype="float64")
        self._postings: Dict[str, Dict[int, int]] = {}
        self._arrays: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def upsert(self, doc_id: Hashable, doc_terms: Iterable[str]) -> None:
        self.remove(doc_id)
        counts = Counter(doc_terms)
        slot = self._free.pop() if self._free else self._new_slot()
        self._slot_of[doc_id], self._doc_at[slot] = slot, doc_id
        self._terms_of[slot] = counts
        length = sum(counts.values())
        self._lengths[slot] = length
        self._total_length += length
        for term, count in counts.items():
            self._postings.setdefault(term, {})[slot] = count
            self._arrays.pop(term, None)

    def remove(self, doc_id: Hashable) -> None:
        slot = self._slot_of.pop(doc_id, None)
        if slot is None:
            return
        counts = self._terms_of.pop(slot)
        self._total_length -= int(self._lengths[slot])
        self._lengths[slot] = 0
        self._doc_at[slot] = None
        self._free.append(slot)
        for term in counts:
            posting = self._postings[term]
            posting.pop(slot, None)
            self._arrays.pop(term, None)
            if not posting:
                del self._postings[term]

    def search(self, query_terms: Iterable[str], k: int = 10) -> List[Tuple[Hashable, float]]:
        """The ``k`` best documents for the query, best first, with their BM25 scores."""
        n = len(self._slot_of)
        if not n:
            return []
        average = self._total_length / n or 1.0
        scores = np.zeros(len(self._doc_at), dtype="float64")
        norms = self.k1 * (1 - self.b + self.b * self._lengths / average)
        for term in set(query_terms):
            arrays = self._posting_arrays(term)
            if arrays is None:
                continue
            slots, tfs = arrays
            idf = math.log(1 + (n - len(slots) + 0.5) / (len(slots) + 0.5))
            scores[slots] += idf * tfs * (self.k1 + 1) / (tfs + norms[slots])
        matched = np.flatnonzero(scores > 0)
        if not len(matched):
            return []
        best = matched[np.argsort(-scores[matched], kind="stable")[:k]]
        return [(self._doc_at[slot], float(scores[slot])) for slot in best]

    def coverage(self, query_terms: Iterable[str], doc_ids: Iterable[Hashable]) -> Dict[Hashable, float]:
        """For each document, the idf-weighted share of the query's distinct terms it contains (0..1).

        A term no document has counts with the highest idf: a question about
        something the index never mentions covers little of any document.
        """
        n = len(self._slot_of)
        wanted = set(query_terms)
        idf = {term: math.log(1 + (n - len(self._postings.get(term, ())) + 0.5) / (len(self._postings.get(term, ())) + 0.5))
               for term in wanted}
        total = sum(idf.values())
        out: Dict[Hashable, float] = {}
        for doc_id in doc_ids:
            slot = self._slot_of.get(doc_id)
            if slot is None or not total:
                out[doc_id] = 0.0
                continue
            present = self._terms_of[slot]
            out[doc_id] = sum(weight for term, weight in idf.items() if term in present) / total
        return out

    def _posting_arrays(self, term: str) -> Optional[Tuple[np.ndarray, np.ndarray]]:
        arrays = self._arrays.get(term)
        if arrays is None:
            posting = self._postings.get(term)
            if not posting:
                return None
            arrays = (np.fromiter(posting.keys(), dtype="int64", count=len(posting)),
                      np.fromiter(posting.values(), dtype="float64", count=len(posting)))
            self._arrays[term] = arrays
        return arrays

    def _new_slot(self) -> int:
        slot = len(self._doc_at)
        self._doc_at.append(None)
        if slot >= len(self._lengths):
            self._lengths = np.concatenate([self._lengths, np.zeros(max(64, len(self._lengths)))])
        return slot
