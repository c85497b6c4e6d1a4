"""Rasa's ResponseSelector as an FAQ retriever, on the same entries and held-out queries as make eval-kb.

    .venv-rasa/bin/python scripts/eval_kb_response_selector.py      (make eval-kb runs it first)

Each seed entry becomes the retrieval intent ``faq/<entry id>`` with its
question and alternatives as examples; the pipeline is ours (config.yml: the
Vietnamese normalizer, underthesea tokens, the three CountVectors
featurizers) followed by a ResponseSelector, trained from scratch. Every
held-out query is parsed in-process; the ranking of responses gives hit@1,
hit@3 and MRR. The numbers go to ``.eval/kb_response_selector.json``, which
scripts/eval_kb.py puts beside the other retrievers.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import yaml  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import percentile  # noqa: E402

WORK_DIR = ROOT / ".eval" / "kb-response-selector"
RESULT = ROOT / ".eval" / "kb_response_selector.json"
ENTRIES = ROOT / "knowledge_base" / "seed" / "entries.yml"
HELDOUT = ROOT / "tests" / "data" / "kb_heldout.tsv"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
EPOCHS = 100
# Our featurization, without the intent and entity components that follow it in config.yml.
KEPT = ("bot.nlu.normalizer.VietnameseNormalizer", "bot.nlu.tokenizer.UndertheseaTokenizer",
        "RegexFeaturizer", "LexicalSyntacticFeaturizer", "CountVectorsFeaturizer")


def write_project(entries: list) -> None:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] in KEPT] + [
        {"name": "ResponseSelector", "epochs": EPOCHS, "retrieval_intent": "faq", "random_seed": 42}]
    config["policies"] = []
    (WORK_DIR / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    nlu = {"version": "3.1", "nlu": [
        {"intent": f"faq/{e['id']}",
         "examples": "".join(f"- {' '.join(p.split())}\n" for p in [e["question"], *e.get("alternatives", [])])}
        for e in entries]}
    (WORK_DIR / "nlu.yml").write_text(yaml.safe_dump(nlu, allow_unicode=True, sort_keys=False), encoding="utf-8")
    domain = {"version": "3.1", "intents": ["faq"],
              "responses": {f"utter_faq/{e['id']}": [{"text": e["answer"]}] for e in entries}}
    (WORK_DIR / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), encoding="utf-8")


def train() -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(RASA), "train", "nlu", "--config", "config.yml", "--nlu", "nlu.yml", "--domain", "domain.yml",
         "--out", "models", "--fixed-model-name", "faq", "--quiet"],
        cwd=WORK_DIR, check=True, env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_MAX_CACHE_SIZE": "0"},
    )
    return time.perf_counter() - started


async def evaluate(queries: list) -> dict:
    from rasa.core.agent import Agent

    agent = Agent.load(str(WORK_DIR / "models" / "faq.tar.gz"))
    await agent.parse_message("xin chào")  # warm-up
    ranks, latencies = [], []
    for query, gold in queries:
        started = time.perf_counter()
        parsed = await agent.parse_message(query)
        latencies.append((time.perf_counter() - started) * 1000)
        selector = parsed.get("response_selector", {}).get("faq", {})
        ranking = [r["intent_response_key"].split("/", 1)[1] for r in selector.get("ranking", [])]
        ranks.append(ranking.index(gold) + 1 if gold in ranking else None)
    n = len(queries)
    return {"hit1": sum(r == 1 for r in ranks) / n, "hit3": sum(r is not None and r <= 3 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n, "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95)}


def main() -> int:
    entries = yaml.safe_load(ENTRIES.read_text(encoding="utf-8"))["entries"]
    with HELDOUT.open(encoding="utf-8") as handle:
        queries = [(row["query"], row["entry_id"]) for row in csv.DictReader(handle, delimiter="\t")]
    write_project(entries)
    seconds = train()
    metrics = asyncio.run(evaluate(queries))
    metrics.update(train_seconds=seconds, epochs=EPOCHS, queries=len(queries))
    RESULT.write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    print(f"ResponseSelector: hit@1 {100 * metrics['hit1']:.1f}%, hit@3 {100 * metrics['hit3']:.1f}%, "
          f"MRR {metrics['mrr']:.3f}, trained in {seconds:.0f}s -> {RESULT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
