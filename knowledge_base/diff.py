"""Field-by-field difference between two versions of an entry (the admin page's history).

Texts are compared word by word, lists item by item; each changed field gives
segments ``{"op": "equal" | "insert" | "delete", "text": ...}`` that the page
shows as they are (no HTML here).
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Dict, List, Optional

FIELDS = ("question", "alternatives", "answer", "category", "tags", "source", "status", "deleted")
LIST_FIELDS = ("alternatives", "tags")
TEXT_FIELDS = ("question", "answer", "source")
_TOKEN = re.compile(r"\s+|[^\s]+")


def _segments(before: List[str], after: List[str]) -> List[Dict[str, str]]:
    out: List[Dict[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1]["op"] == op:
            out[-1]["text"] += text
        else:
            out.append({"op": op, "text": text})

    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(before[i1:i2]))
        else:
            add("delete", "".join(before[i1:i2]))
            add("insert", "".join(after[j1:j2]))
    return out


def text_diff(before: str, after: str) -> List[Dict[str, str]]:
    """Word-level segments (whitespace kept, so the text reads as written)."""
    return _segments(_TOKEN.findall(before or ""), _TOKEN.findall(after or ""))


def list_diff(before: List[str], after: List[str]) -> List[Dict[str, str]]:
    """One segment per item: kept, removed or added."""
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [{"op": "equal", "text": item} for item in before[i1:i2]]
        else:
            out += [{"op": "delete", "text": item} for item in before[i1:i2]]
            out += [{"op": "insert", "text": item} for item in after[j1:j2]]
    return out


def diff_snapshots(before: Optional[Dict[str, Any]], after: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Every field of ``after`` against ``before`` (``None``: the first version, everything is new)."""
    before = before or {}
    fields = []
    for field in FIELDS:
        old, new = before.get(field), after.get(field)
        if field in LIST_FIELDS:
            old, new = list(old or []), list(new or [])
            segments = list_diff(old, new)
        elif field in TEXT_FIELDS:
            old, new = old or "", new or ""
            segments = text_diff(old, new)
        else:
            segments = []
        fields.append({"field": field, "changed": old != new, "before": old, "after": new,
                       "kind": "list" if field in LIST_FIELDS else "text" if field in TEXT_FIELDS else "value",
                       "segments": segments})
    return fields
