"""NLU benchmark: our Vietnamese pipeline vs Rasa's stock pipeline on the held-out set.

    make eval-nlu        (runs: .venv-rasa/bin/python scripts/eval_nlu.py)

Both pipelines are trained from scratch (Rasa's cache disabled) on ``nlu_data/``
with the same number of DIET epochs, then parse every message of
``tests/data/nlu_heldout.yml`` in-process. Prints the comparison and writes it
into docs/benchmarks.md between the ``eval-nlu`` markers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no per-message debug lines from Rasa

import yaml  # noqa: E402

from bot.text.vietnamese import has_diacritics  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import percentile, write_section  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
WORK_DIR = ROOT / ".eval"
FALLBACK_INTENT = "nlu_fallback"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def stock_config(epochs: int) -> dict:
    """Rasa's stock pipeline, as a Rasa developer would start: whitespace tokens, word and char n-grams."""
    return {
        "recipe": "default.v1",
        "language": "vi",
        "assistant_id": "stock-baseline",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "DIETClassifier", "epochs": epochs, "random_seed": 42},
            {"name": "EntitySynonymMapper"},
        ],
        "policies": [],
    }


@dataclass
class Example:
    text: str
    intent: str
    entities: List[Tuple[str, int, int]]

    @property
    def plain(self) -> bool:
        return not has_diacritics(self.text)


@dataclass
class Result:
    name: str
    train_seconds: float
    predictions: List[Tuple[str, bool, List[Tuple[str, int, int]]]] = field(default_factory=list)
    latencies_ms: List[float] = field(default_factory=list)


def load_heldout() -> List[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HELDOUT))
    return [
        Example(
            m.get("text"),
            m.get("intent"),
            [(e["entity"], e["start"], e["end"]) for e in m.get("entities", [])],
        )
        for m in data.training_examples
    ]


def train(name: str, config_path: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(RASA), "train", "nlu", "--config", str(config_path), "--nlu", "nlu_data",
         "--out", str(WORK_DIR / "models"), "--fixed-model-name", name, "--quiet"],
        cwd=ROOT, check=True,
        # No cache: every component is really trained, so the time is a training time.
        env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_MAX_CACHE_SIZE": "0"},
    )
    return time.perf_counter() - started


async def parse_all(name: str, examples: List[Example], result: Result, model: Optional[Path] = None) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model or WORK_DIR / "models" / f"{name}.tar.gz"))
    await agent.parse_message("xin chào")  # warm-up: first parse builds TF graphs
    for example in examples:
        started = time.perf_counter()
        parsed = await agent.parse_message(example.text)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        ranking = [i["name"] for i in parsed.get("intent_ranking", []) if i["name"] != FALLBACK_INTENT]
        top = ranking[0] if ranking else None
        fell_back = (parsed.get("intent") or {}).get("name") == FALLBACK_INTENT
        entities = [(e["entity"], e["start"], e["end"]) for e in parsed.get("entities", [])]
        result.predictions.append((top, fell_back, entities))


def intent_f1(gold: List[str], predicted: List[Optional[str]]) -> Dict[str, float]:
    scores = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return scores


def entity_f1(examples: List[Example], result: Result, types: Optional[set] = None) -> Tuple[float, int]:
    tp = fp = fn = 0
    for example, (_, _, predicted) in zip(examples, result.predictions):
        gold = {e for e in example.entities if types is None or e[0] in types}
        pred = {e for e in predicted if types is None or e[0] in types}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), tp + fn


def metrics(examples: List[Example], result: Result) -> Dict[str, object]:
    gold = [e.intent for e in examples]
    predicted = [p[0] for p in result.predictions]
    plain = [i for i, e in enumerate(examples) if e.plain]
    confusions = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    per_intent = intent_f1(gold, predicted)
    per_type = {}
    for entity in sorted({e[0] for ex in examples for e in ex.entities}):
        per_type[entity] = entity_f1(examples, result, {entity})
    return {
        "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold),
        "macro_f1": statistics.mean(per_intent.values()),
        "weakest": sorted(per_intent.items(), key=lambda item: item[1])[:5],
        "plain_accuracy": sum(gold[i] == predicted[i] for i in plain) / max(1, len(plain)),
        "plain_count": len(plain),
        "fallback_rate": sum(p[1] for p in result.predictions) / len(gold),
        "entity_f1": entity_f1(examples, result)[0],
        "entity_f1_by_type": per_type,
        "confusions": confusions.most_common(10),
        "train_seconds": result.train_seconds,
        "p50_ms": percentile(result.latencies_ms, 50),
        "p95_ms": percentile(result.latencies_ms, 95),
    }


def report(examples: List[Example], ours: Dict, stock: Dict, epochs: int, command: str) -> str:
    def pct(value: float) -> str:
        return f"{100 * value:.1f}%"

    rows = [
        ("Intent accuracy", pct(ours["accuracy"]), pct(stock["accuracy"])),
        ("Intent macro F1", pct(ours["macro_f1"]), pct(stock["macro_f1"])),
        (f"Accuracy, no-diacritics subset ({ours['plain_count']} msgs)",
         pct(ours["plain_accuracy"]), pct(stock["plain_accuracy"])),
        ("Would trigger the fallback (confidence < threshold)", pct(ours["fallback_rate"]), "n/a"),
        ("Entity F1, all types (exact span)", pct(ours["entity_f1"]), pct(stock["entity_f1"])),
    ]
    for entity, (f1, support) in ours["entity_f1_by_type"].items():
        rows.append((f"Entity F1 `{entity}` ({support})", pct(f1), pct(stock["entity_f1_by_type"][entity][0])))
    rows += [
        ("Training time (s)", f"{ours['train_seconds']:.0f}", f"{stock['train_seconds']:.0f}"),
        ("Parse latency p50 (ms)", f"{ours['p50_ms']:.1f}", f"{stock['p50_ms']:.1f}"),
        ("Parse latency p95 (ms)", f"{ours['p95_ms']:.1f}", f"{stock['p95_ms']:.1f}"),
    ]
    lines = [
        f"Held-out set: `tests/data/nlu_heldout.yml`, {len(examples)} messages, "
        f"{len({e.intent for e in examples})} intents. DIET epochs: {epochs} for both. "
        f"Measured {time.strftime('%Y-%m-%d')} on this 2-core machine with `{command}`. "
        "Latency is in-process `Agent.parse_message` (no HTTP).",
        "",
        "| metric | ours (config.yml) | Rasa stock |",
        "|---|---|---|",
        *[f"| {name} | {a} | {b} |" for name, a, b in rows],
        "",
        "Weakest intents (F1), ours: "
        + ", ".join(f"{name} {100 * f1:.0f}%" for name, f1 in ours["weakest"]),
        "",
        "Most frequent confusions (gold → predicted), ours: "
        + (", ".join(f"{g} → {p} ({n})" for (g, p), n in ours["confusions"]) or "none"),
        "",
        "Most frequent confusions, stock: "
        + (", ".join(f"{g} → {p} ({n})" for (g, p), n in stock["confusions"]) or "none"),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml",
                        help="pipeline to evaluate as ours (to try a variant)")
    parser.add_argument("--skip-stock", action="store_true", help="evaluate ours only (implies --no-write)")
    parser.add_argument("--model", type=Path, help="evaluate this trained model as ours, without training "
                        "(implies --skip-stock; e.g. models/assistant.tar.gz)")
    args = parser.parse_args()
    if args.model:
        examples = load_heldout()
        result = Result("ours", 0.0)
        asyncio.run(parse_all("ours", examples, result, model=args.model.resolve()))
        figures = metrics(examples, result)
        print(report(examples, figures, figures, 0, f"eval_nlu.py --model {args.model}"))
        return 0

    ours_config = args.config.resolve()
    config = yaml.safe_load(ours_config.read_text(encoding="utf-8"))
    epochs = next(c["epochs"] for c in config["pipeline"] if c["name"] == "DIETClassifier")
    WORK_DIR.mkdir(exist_ok=True)
    stock_path = WORK_DIR / "stock_config.yml"
    stock_path.write_text(yaml.safe_dump(stock_config(epochs), sort_keys=False), encoding="utf-8")

    examples = load_heldout()
    results = {}
    pipelines = [("ours", ours_config)] + ([] if args.skip_stock else [("stock", stock_path)])
    for name, path in pipelines:
        print(f"== training {name} ({path.name}) ==", flush=True)
        result = Result(name, train(name, path))
        asyncio.run(parse_all(name, examples, result))
        results[name] = metrics(examples, result)
    if args.skip_stock:
        print(report(examples, results["ours"], results["ours"], epochs, f"eval_nlu.py --config {args.config}"))
        return 0

    section = report(examples, results["ours"], results["stock"], epochs, "make eval-nlu")
    print(section)
    if not args.no_write:
        write_section("eval-nlu", "NLU (`make eval-nlu`)", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
