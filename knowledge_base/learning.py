"""Offline learning: fits the fusion and the confidence (knowledge_base.fusion) for an embedding model.

    python -m knowledge_base.learning [--model NAME]     (make kb-model runs it after the fine-tuning)

Both logistic regressions are learned on the development queries and the NLU's ``out_of_scope``
examples (``knowledge_base.corpus``), over the seed entries, with the embedding model in use (and
the text form it reads, ``KB_EMBEDDING_INPUT``); the weights are saved next to the model, where
the web app's retriever finds them (``fusion.for_model``). Needs scikit-learn, which the web app
never imports.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import List, Optional, Sequence, Tuple

import numpy as np

from knowledge_base import corpus
from knowledge_base.dense import DenseIndex, default_model
from knowledge_base.fusion import CONFIDENCE_FEATURES, DEFAULT, Fusion, confidence_features, path_for
from knowledge_base.retriever import Document, HybridRetriever
from knowledge_base.settings import EmbeddingSettings


def fit_logistic(rows: np.ndarray, labels: np.ndarray, c: float) -> Tuple[List[float], float]:
    """Logistic regression on standardized features, its weights brought back to the raw features."""
    from sklearn.linear_model import LogisticRegression  # heavy: loaded when learning, not when imported

    mean, std = rows.mean(axis=0), rows.std(axis=0)
    std[std == 0] = 1.0
    fitted = LogisticRegression(C=c, max_iter=5000).fit((rows - mean) / std, labels)
    weights = fitted.coef_[0] / std
    return list(map(float, weights)), float(fitted.intercept_[0] - np.dot(weights, mean))


def learn(retriever, queries: Sequence[corpus.Query], model: str = "", c: float = 1.0) -> Fusion:
    """Fit both regressions on ``queries`` (gold entry id, or ``corpus.NO_ENTRY`` when no entry answers).

    ``retriever`` needs only ``candidates(query) -> (ids, features)`` (a HybridRetriever)."""
    rows, labels, per_query = [], [], []
    for query, gold in queries:
        ids, features = retriever.candidates(query)
        if not ids:
            continue
        if gold != corpus.NO_ENTRY:  # the ranking is learned where there is a right entry to rank first
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
    answerable = sum(gold != corpus.NO_ENTRY for _, gold in queries)
    fusion.learned_on = {"queries": len(queries), "answerable": answerable, "unanswerable": len(queries) - answerable,
                         "top1_correct": int(sum(conf_labels)), "date": time.strftime("%Y-%m-%d")}
    return fusion


def build_retriever(model: Optional[str], documents: Sequence[Document], fusion: Optional[Fusion] = None,
                    input_form: str = "normalized") -> HybridRetriever:
    """A retriever over ``documents`` with the given embedding model (and fusion: else the model's own)."""
    retriever = HybridRetriever(DenseIndex(model, input_form), fusion=fusion)
    for document in documents:
        retriever.upsert(document)
    return retriever


def seed_retriever(model: Optional[str] = None, input_form: str = "normalized") -> HybridRetriever:
    """A retriever over the seed entries with the given embedding model, learned fusion not applied."""
    return build_retriever(model, corpus.seed_documents(), DEFAULT, input_form)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--model", default=None, help="embedding model (default: KB_EMBEDDING_MODEL or the built one)")
    args = parser.parse_args(argv)
    embedding = EmbeddingSettings.from_env()  # read once, here
    model = args.model or default_model(embedding.model)
    started = time.monotonic()
    queries = corpus.load_dev_queries() + corpus.out_of_scope_queries()
    fusion = learn(seed_retriever(model, embedding.input_form), queries, model=model)
    path = path_for(model)
    fusion.save(path)
    print(f"kb-fusion: learned on {fusion.learned_on['queries']} development queries "
          f"({fusion.learned_on['unanswerable']} that no entry answers) in "
          f"{time.monotonic() - started:.0f}s -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
