"""Runtime scoring: the fusion of the lexical and dense rankings, and a calibrated confidence.

Every candidate entry of a query (the union of the rankings) is described by
``CANDIDATE_FEATURES``: how strongly BM25 over the phrasings, BM25 over the
answers and the dense index support it (scores relative to the best entry of
each, reciprocal ranks), and how much of the query's words (idf-weighted) its
phrasings and its answer contain. A logistic regression turns them into a
ranking score. A second logistic regression turns the best entry's score, its
lead over the second, its cosine and coverages (``CONFIDENCE_FEATURES``) into
the probability that the best entry answers the question: that is the
confidence, and the bot answers only above the threshold.

This module applies weights; it learns none. Both regressions are fitted
offline by ``knowledge_base.learning`` (``make kb-model``) and saved next to the
embedding model; without learned weights, ``DEFAULT`` (set by hand, close to
reciprocal rank fusion) is used. Needs numpy only.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List

import numpy as np

from common import layout

FUSION_DIR = layout.KB_FUSION_DIR
log = logging.getLogger("knowledge_base")

CANDIDATE_FEATURES = ("bm25_share", "bm25_rr", "answer_share", "answer_rr", "cosine", "cosine_gap", "dense_rr",
                      "coverage", "answer_coverage")
COSINE, COVERAGE, ANSWER_COVERAGE = (CANDIDATE_FEATURES.index(name) for name in ("cosine", "coverage", "answer_coverage"))
# Nothing that grows with the size of the index (raw BM25 scores do): the confidence must mean
# the same with 100 entries and with 10,000.
CONFIDENCE_FEATURES = ("score", "lead", "cosine", "coverage", "answer_coverage")


@dataclass
class Fusion:
    candidate_weights: List[float]
    candidate_bias: float
    confidence_weights: List[float]
    confidence_bias: float
    model: str = ""
    learned_on: Dict[str, object] = field(default_factory=dict)

    def rank_scores(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.candidate_weights) + self.candidate_bias

    def confidence(self, scores: np.ndarray, features: np.ndarray) -> float:
        """Probability that the best-scored candidate answers the question."""
        if not len(scores):
            return 0.0
        z = float(np.dot(self.confidence_weights, confidence_features(scores, features))
                  + self.confidence_bias)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def fits_features(self) -> bool:
        return (len(self.candidate_weights) == len(CANDIDATE_FEATURES)
                and len(self.confidence_weights) == len(CONFIDENCE_FEATURES))

    def save(self, path: Path) -> None:
        """Written whole or not at all: a replica loading it meanwhile never reads half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Fusion":
        return cls(**json.loads(path.read_text(encoding="utf-8")))


# By hand: rank by the reciprocal ranks with a little of the scores; confidence mostly from the cosine.
DEFAULT = Fusion(candidate_weights=[1.0, 4.0, 0.2, 1.0, 2.0, 2.0, 4.0, 1.0, 0.5], candidate_bias=-4.0,
                 confidence_weights=[0.5, 1.0, 5.0, 3.0, 1.0], confidence_bias=-6.0, model="default")


def confidence_features(scores: np.ndarray, features: np.ndarray) -> List[float]:
    """What the confidence is computed from: the best candidate's score, its lead, its support."""
    order = np.argsort(-scores, kind="stable")
    best = features[order[0]]
    lead = float(scores[order[0]] - scores[order[1]]) if len(order) > 1 else 5.0
    return [float(scores[order[0]]), lead, float(best[COSINE]), float(best[COVERAGE]), float(best[ANSWER_COVERAGE])]


def path_for(model: str) -> Path:
    """Where the fusion learned for ``model`` lives: beside a local model, else under .run/kb-fusion."""
    local = Path(model)
    if local.is_dir():
        return local / "fusion.json"
    return FUSION_DIR / (re.sub(r"[^A-Za-z0-9_.-]+", "_", model) + ".json")


def for_model(model: str) -> Fusion:
    """The fusion learned for ``model``; the default one when none was, or when it is unreadable or outdated."""
    path = path_for(model)
    if not path.exists():
        return DEFAULT
    try:
        learned = Fusion.load(path)
    except (OSError, ValueError, TypeError) as error:
        log.warning("fusion weights %s unreadable (%s): using the default weights", path, error)
        return DEFAULT
    if not learned.fits_features():
        log.warning("fusion weights %s were learned for other features: using the default weights; "
                    "relearn them with `python -m knowledge_base.learning` (make kb-model)", path)
        return DEFAULT
    return learned
