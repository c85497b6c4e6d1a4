"""The seed corpus: the entries an empty knowledge base starts with, and the queries the models learn from.

- ``knowledge_base/seed/entries.yml``: the seed entries (imported by the web app into an empty
  database; the retriever's corpus when the fusion is learned and benchmarked);
- ``knowledge_base/seed/dev_queries.tsv``: development queries with the entry that answers each
  (``-``: none does), written apart from the held-out test set;
- the NLU training examples (``nlu_data/nlu/*.yml``) as plain text, and those of ``out_of_scope``
  as questions no entry answers.

Data only: nothing here ranks or learns (``knowledge_base.learning`` does, offline).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import List, Tuple

import yaml

from common import layout
from knowledge_base.retriever import Document

ENTRIES = layout.SEED_ENTRIES
DEV_QUERIES = layout.ROOT / "knowledge_base" / "seed" / "dev_queries.tsv"
NLU_DIR = layout.ROOT / "nlu_data" / "nlu"
NO_ENTRY = "-"  # the gold entry of a query no entry answers
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")

Query = Tuple[str, str]  # (text, gold entry id or NO_ENTRY)


def seed_entries(path: Path = ENTRIES) -> List[dict]:
    """The seed entries as written in the file (id, question, alternatives, answer, category, tags, source)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]


def seed_documents(path: Path = ENTRIES) -> List[Document]:
    """The seed entries as the retriever sees them."""
    return [Document(e["id"], e["question"], tuple(e.get("alternatives", [])), tuple(e.get("tags", [])),
                     e.get("answer", "")) for e in seed_entries(path)]


def load_dev_queries(path: Path = DEV_QUERIES) -> List[Query]:
    with path.open(encoding="utf-8") as handle:
        return [(row["query"], row["entry_id"].strip()) for row in csv.DictReader(handle, delimiter="\t")
                if row.get("query", "").strip()]


def nlu_examples(nlu_dir: Path = NLU_DIR, intent: str = "") -> List[str]:
    """The NLU training examples as plain text (annotations removed), of one intent or of all."""
    examples = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            if intent and block.get("intent") != intent:
                continue
            for line in str(block.get("examples", "")).splitlines():
                text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip().lstrip("- ").strip())
                if text:
                    examples.append(text)
    return examples


def out_of_scope_queries(nlu_dir: Path = NLU_DIR) -> List[Query]:
    """The NLU's ``out_of_scope`` examples: questions no entry answers."""
    return [(text, NO_ENTRY) for text in nlu_examples(nlu_dir, intent="out_of_scope")]
