"""Learned fusion of the lexical and dense rankings, and a calibrated confidence.

    python -m knowledge_base.fusion      (make kb-model runs it after the fine-tuning)

Every candidate entry of a query (the union of the rankings) is described by
``CANDIDATE_FEATURES``: how strongly BM25 over the phrasings, BM25 over the
answers and the dense index support it (scores relative to the best entry of
each, reciprocal ranks), and how much of the query's words (idf-weighted) its
phrasings and its answer contain. A logistic regression turns them into a
ranking score. A second logistic regression turns the best entry's score, its
lead over the second, its cosine and coverages (``CONFIDENCE_FEATURES``) into
the probability that the best entry answers the question: that is the
confidence, and the bot answers only above the threshold.

Both are learned on the development queries (``knowledge_base/seed/dev_queries.tsv``,
written apart from the held-out test set, with questions no entry answers) and
the NLU's ``out_of_scope`` examples (questions no entry answers either), over
the seed entries, for the embedding model in use; the weights are saved next
to the model. Without learned weights, ``DEFAULT`` (set by hand, close to
reciprocal rank fusion) is used.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV_QUERIES = ROOT / "knowledge_base" / "seed" / "dev_queries.tsv"
FUSION_DIR = ROOT / ".run" / "kb-fusion"
NO_ENTRY = "-"
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
                    "relearn them with `python -m knowledge_base.fusion` (make kb-model)", path)
        return DEFAULT
    return learned


def load_dev_queries(path: Path = DEV_QUERIES) -> List[Tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["query"], row["entry_id"].strip()) for row in csv.DictReader(handle, delimiter="\t")
                if row.get("query", "").strip()]


def out_of_scope_queries() -> List[Tuple[str, str]]:
    from knowledge_base.finetune import nlu_examples

    return [(text, NO_ENTRY) for text in nlu_examples(intent="out_of_scope")]


def fit_logistic(rows: np.ndarray, labels: np.ndarray, c: float) -> Tuple[List[float], float]:
    """Logistic regression on standardized features, its weights brought back to the raw features."""
    from sklearn.linear_model import LogisticRegression

    mean, std = rows.mean(axis=0), rows.std(axis=0)
    std[std == 0] = 1.0
    fitted = LogisticRegression(C=c, max_iter=5000).fit((rows - mean) / std, labels)
    weights = fitted.coef_[0] / std
    return list(map(float, weights)), float(fitted.intercept_[0] - np.dot(weights, mean))


def learn(retriever, queries: Sequence[Tuple[str, str]], model: str = "", c: float = 1.0) -> Fusion:
    """Fit both regressions on ``queries`` (gold entry id, or ``-`` when no entry answers)."""
    rows, labels, per_query = [], [], []
    for query, gold in queries:
        ids, features = retriever.candidates(query)
        if not ids:
            continue
        if gold != NO_ENTRY:  # the ranking is learned where there is a right entry to rank first
            rows.append(features)
            labels.extend(1 if doc_id == gold else 0 for doc_id in ids)
        per_query.append((ids, features, gold))
    weights, bias = fit_logistic(np.vstack(rows), np.asarray(labels), c)
    fusion = Fusion(weights, bias, [0.0] * len(CONFIDENCE_FEATURES), 0.0, model)

    conf_rows, conf_labels = [], []
    for ids, features, gold in per_query:
        scores = fusion.rank_scores(features)
        conf_rows.append(confidence_features(scores, features))
        conf_labels.append(1 if ids[int(np.argmax(scores))] == gold else 0)
    fusion.confidence_weights, fusion.confidence_bias = fit_logistic(np.asarray(conf_rows), np.asarray(conf_labels), c)
    answerable = sum(gold != NO_ENTRY for _, gold in queries)
    fusion.learned_on = {"queries": len(queries), "answerable": answerable, "unanswerable": len(queries) - answerable,
                         "top1_correct": int(sum(conf_labels)), "date": time.strftime("%Y-%m-%d")}
    return fusion


def seed_documents() -> list:
    """The seed entries (knowledge_base/seed/entries.yml) as the retriever sees them."""
    import yaml

    from knowledge_base.retriever import Document

    entries = yaml.safe_load((ROOT / "knowledge_base" / "seed" / "entries.yml").read_text(encoding="utf-8"))["entries"]
    return [Document(e["id"], e["question"], tuple(e.get("alternatives", [])), tuple(e.get("tags", [])),
                     e.get("answer", "")) for e in entries]


def build_retriever(model: Optional[str], documents: Sequence, fusion: Optional[Fusion] = None,
                    input_form: str = "normalized"):
    """A retriever over ``documents`` with the given embedding model (and fusion: else the model's own)."""
    from knowledge_base.dense import DenseIndex
    from knowledge_base.retriever import HybridRetriever

    retriever = HybridRetriever(DenseIndex(model, input_form), fusion=fusion)
    for document in documents:
        retriever.upsert(document)
    return retriever


def seed_retriever(model: Optional[str] = None, input_form: str = "normalized"):
    """A retriever over the seed entries with the given embedding model, learned fusion not applied."""
    return build_retriever(model, seed_documents(), DEFAULT, input_form)


def main() -> int:
    from knowledge_base.dense import default_model
    from knowledge_base.settings import EmbeddingSettings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--model", default=None, help="embedding model (default: KB_EMBEDDING_MODEL or the built one)")
    args = parser.parse_args()
    embedding = EmbeddingSettings.from_env()  # KB_EMBEDDING_MODEL, KB_EMBEDDING_INPUT: read once, here
    model = args.model or default_model(embedding.model)
    started = time.monotonic()
    fusion = learn(seed_retriever(model, embedding.input_form), load_dev_queries() + out_of_scope_queries(), model=model)
    path = path_for(model)
    fusion.save(path)
    print(f"kb-fusion: learned on {fusion.learned_on['queries']} development queries "
          f"({fusion.learned_on['unanswerable']} that no entry answers) in "
          f"{time.monotonic() - started:.0f}s -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
