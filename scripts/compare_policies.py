"""The dialogue policy chosen by measurement: the assistant's policies (config.yml) against variants.

    make eval-policies      (runs: .venv/bin/python scripts/compare_policies.py)

Each variant is config.yml with other ``policies:`` (the NLU pipeline is the same, so Rasa's cache
reuses the trained NLU), trained into .eval/policies/, then served by the whole isolated stack
(RASA_MODEL) and measured by the conversation runner on the dev and held-out sets (aggregates only),
and by ``rasa test core`` on tests/stories. Writes the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import write_section  # noqa: E402

WORK = ROOT / ".eval" / "policies"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
TED = {"name": "TEDPolicy", "max_history": 5, "epochs": 50, "constrain_similarities": True}


def variants(base: dict) -> Dict[str, List[dict]]:
    """name -> policies. ``rules``: config.yml's own; the others add or swap the learned policy."""
    policies = base["policies"]
    rules_only = [p for p in policies if p["name"] == "RulePolicy"]
    return {
        "rules": policies,
        "rules+ted": policies + [TED],
        "ted": [{**rules_only[0]}, TED] if rules_only else [TED],  # forms need RulePolicy; no memoization
    }


def train(name: str, policies: List[dict], base: dict) -> float:
    WORK.mkdir(parents=True, exist_ok=True)
    config = WORK / f"{name}.yml"
    config.write_text(yaml.safe_dump({**base, "policies": policies}, allow_unicode=True, sort_keys=False))
    started = time.perf_counter()
    subprocess.run([str(RASA), "train", "--config", str(config), "--domain", "domain.yml", "--data", "nlu_data",
                    "--out", str(WORK), "--fixed-model-name", name, "--quiet"],
                   cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def stories(name: str) -> str:
    """``rasa test core`` on tests/stories: stories whose every action was predicted."""
    out = WORK / f"test-{name}"
    subprocess.run([str(RASA), "test", "core", "--model", str(WORK / f"{name}.tar.gz"), "--stories", "tests/stories",
                    "--endpoints", "endpoints.yml", "--out", str(out), "--no-plot"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    stories_passed = report.get("conversation_accuracy") or {}
    actions = report.get("accuracy")
    return (f"{stories_passed.get('correct', '?')}/{stories_passed.get('total', '?')}"
            + (f" (actions {100 * actions:.1f}%)" if isinstance(actions, float) else ""))


def stories_of_models() -> str:
    """``rasa test core`` of the assistant's own model (models/)."""
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "rules.tar.gz"
    newest = max((ROOT / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    target.write_bytes(newest.read_bytes())
    return stories("rules")


def conversations(name: str) -> Dict[str, str]:
    """Conversations and turns passed on each set, played against the whole stack serving this model."""
    label = f"policy-{name.replace('+', '-')}"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_conversations.py"), "--label", label, "--no-write",
                    "--set", "dev", "--set", "heldout", "--json", str(WORK / f"{label}.json")],
                   cwd=ROOT, check=True, env={**os.environ, "RASA_MODEL": str(WORK / f"{name}.tar.gz")})
    measured = json.loads((WORK / f"{label}.json").read_text())
    return {s: f"{m['conversations']['passed']}/{m['conversations']['total']} · {m['turns']['passed']}/{m['turns']['total']}"
            for s, m in measured.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="variant(s) to run (default: all)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--rules-from", metavar="LABEL",
                        help="take the `rules` row (config.yml's own policies) from this eval-conversations label in "
                             "docs/results instead of measuring it again")
    args = parser.parse_args()
    base = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    chosen = {k: v for k, v in variants(base).items() if not args.only or k in args.only}
    rows = []
    if args.rules_from:
        chosen.pop("rules", None)
        measured = json.loads((ROOT / "docs" / "results" / f"conversations-{args.rules_from}.json").read_text())["sets"]
        figure = {s: f"{m['conversations']['passed']}/{m['conversations']['total']} · {m['turns']['passed']}/{m['turns']['total']}"
                  for s, m in measured.items()}
        rows.append(("rules", " + ".join(p["name"] for p in base["policies"]), "–", stories_of_models(),
                     figure.get("dev", "–"), figure.get("heldout", "–")))
    for name, policies in chosen.items():
        seconds = train(name, policies, base)
        figures = conversations(name)
        rows.append((name, " + ".join(p["name"] for p in policies), f"{seconds:.0f}", stories(name),
                     figures.get("dev", "–"), figures.get("heldout", "–")))
        print(rows[-1], flush=True)
    body = "\n".join([
        "The same NLU, other dialogue policies; each model served by the whole isolated stack and played the "
        "conversation sets (conversations · turns passed) and the story tests (`rasa test core`). Measured "
        f"{time.strftime('%Y-%m-%d')} with `make eval-policies` (training time with the NLU cached).",
        "",
        "| variant | policies | training (s) | tests/stories | dev | held-out |",
        "|---|---|---|---|---|---|",
        *[f"| {' | '.join(row)} |" for row in rows],
    ])
    print(body)
    if not args.no_write and (not args.only or args.rules_from):
        write_section("eval-policies", "Dialogue policies (`make eval-policies`)", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
