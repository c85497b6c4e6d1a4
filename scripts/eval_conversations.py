"""Conversation evaluation: scripted multi-turn conversations against the whole stack, scored by regexes.

    make eval-conversations                                   both sets, label "current"
    make eval-conversations ARGS="--set dev --label after --report /tmp/eval-dev.md"
    .venv/bin/python scripts/eval_conversations.py --rasa-url URL --backoffice-url URL --backoffice-key KEY

A set (tests/data/conversations_{dev,dev2,heldout}.yml) lists conversations; each turn either sends a
message (`user`) or presses a button of the previous bot reply (`click`, a case-insensitive,
accent-sensitive part of its title), and is checked against the bot's whole reply (every message's
text and button titles, one per line, NFC): every `all` pattern must match, one of the `any`
patterns if there are any, and no `none` pattern (Python regexes, case-insensitive). An empty reply
always fails. A conversation passes when all its turns pass.

By default the stack is started on free ports with throw-away databases (scripts/isolated_stack.py),
pinned to the set's `today`; each conversation gets a fresh Rasa sender and, before it, a reset of
the sandbox (POST /v1/sandbox/reset). Conversations run one at a time, in file order.

Results: docs/results/conversations-<label>.json (per set, merged with that label's earlier sets)
and the `eval-conversations` section of docs/benchmarks.md, rebuilt from every results file.
Only aggregates are printed; `--report` writes every failed turn (for a held-out set, only outside
the repository, so the people tuning the bot never see its conversations).

The loading and matching code is stdlib + pyyaml and Python 3.10 compatible (tests/unit runs it
under the Rasa runtime); the runner needs httpx (the .venv runtime).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Pattern, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from benchmarks_doc import write_section  # noqa: E402

SETS = {
    "dev": ROOT / "tests" / "data" / "conversations_dev.yml",
    "dev2": ROOT / "tests" / "data" / "conversations_dev2.yml",
    "heldout": ROOT / "tests" / "data" / "conversations_heldout.yml",
}
RESULTS_DIR = ROOT / "docs" / "results"
SECTION = "eval-conversations"
HEADING = "Conversations (`make eval-conversations`)"
FLOWS = ("bill", "payment", "reading", "calculator", "tariff", "outage_schedule", "outage_report",
         "new_connection", "request_status", "contract_change", "complaint", "faq", "handoff", "smalltalk",
         "mixed")
EXPECT_KEYS = ("all", "any", "none")
TURN_KEYS = ("user", "click", "good_reply", "expect")
PER_FLOW_LABELS = 3  # the per-flow table shows the most recently measured labels
MESSAGE_TIMEOUT = 120.0


# --- loading and validation ---------------------------------------------------------------------------

class ConversationFileError(ValueError):
    """A conversation file that cannot be run; ``errors`` lists every problem found."""

    def __init__(self, source: str, errors: List[str]) -> None:
        self.source, self.errors = source, errors
        super().__init__(f"{source}: {len(errors)} problem(s), nothing was run:\n" + "\n".join(f"  - {e}" for e in errors))


@dataclass
class Turn:
    number: int  # 1-based
    good_reply: str
    all: List[Pattern] = field(default_factory=list)
    any: List[Pattern] = field(default_factory=list)
    none: List[Pattern] = field(default_factory=list)
    user: Optional[str] = None
    click: Optional[str] = None


@dataclass
class Conversation:
    id: str
    flow: str
    turns: List[Turn]
    persona: str = ""


@dataclass
class ConversationSet:
    name: str
    path: Path
    today: str
    conversations: List[Conversation]
    sha256: str = ""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _patterns(raw: Any, where: str, errors: List[str]) -> List[Pattern]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        errors.append(f"{where}: expected a list of regex strings, got {raw!r}")
        return []
    compiled = []
    for pattern in raw:
        if not pattern.strip():
            errors.append(f"{where}: empty pattern (it would match anything)")
            continue
        try:
            compiled.append(re.compile(nfc(pattern), re.IGNORECASE))
        except re.error as error:
            errors.append(f"{where}: pattern {pattern!r} does not compile: {error}")
    return compiled


def _turn(raw: Any, number: int, where: str, errors: List[str]) -> Optional[Turn]:
    if not isinstance(raw, dict):
        errors.append(f"{where}: a turn must be a mapping, got {raw!r}")
        return None
    unknown = sorted(set(raw) - set(TURN_KEYS))
    if unknown:
        errors.append(f"{where}: unknown key(s) {', '.join(map(str, unknown))} (allowed: {', '.join(TURN_KEYS)})")
    sends = [key for key in ("user", "click") if key in raw]
    if len(sends) != 1:
        errors.append(f"{where}: needs exactly one of `user` or `click`")
    elif not isinstance(raw[sends[0]], str) or (sends[0] == "click" and not raw["click"].strip()):
        errors.append(f"{where}: `{sends[0]}` must be a {'non-empty ' if sends[0] == 'click' else ''}string")
    elif sends[0] == "click" and number == 1:
        errors.append(f"{where}: a first turn cannot be a `click` (there is no previous bot reply)")
    good = raw.get("good_reply")
    if not isinstance(good, str) or not good.strip():
        errors.append(f"{where}: missing `good_reply` (the reply a good agent would give)")
    expect = raw.get("expect")
    if not isinstance(expect, dict):
        errors.append(f"{where}: missing `expect` mapping with `all`, `any` and/or `none` patterns")
        expect = {}
    unknown = sorted(set(expect) - set(EXPECT_KEYS))
    if unknown:
        errors.append(f"{where}: unknown expect key(s) {', '.join(map(str, unknown))} (allowed: all, any, none)")
    compiled = {key: _patterns(expect.get(key), f"{where} expect.{key}", errors) for key in EXPECT_KEYS}
    if isinstance(raw.get("expect"), dict) and not any(expect.get(key) for key in EXPECT_KEYS):
        errors.append(f"{where}: `expect` has no pattern")
    user, click = raw.get("user"), raw.get("click")
    return Turn(number=number, good_reply=good if isinstance(good, str) else "",
                user=nfc(user) if isinstance(user, str) else None,
                click=nfc(click) if isinstance(click, str) else None, **compiled)


def parse_set(data: Any, source: str, name: str = "") -> ConversationSet:
    """Validate a loaded conversation file; raises ConversationFileError listing every problem."""
    errors: List[str] = []
    if not isinstance(data, dict):
        raise ConversationFileError(source, ["the file must be a mapping with version, today, conversations"])
    if data.get("version") != 1:
        errors.append(f"version: expected 1, got {data.get('version')!r}")
    today = data.get("today")
    today = today.isoformat() if isinstance(today, dt.date) else today  # YAML may read an unquoted date
    try:
        dt.date.fromisoformat(str(today))
    except ValueError:
        errors.append(f"today: expected an ISO date such as \"2026-11-24\", got {today!r}")
    raw_conversations = data.get("conversations")
    if not isinstance(raw_conversations, list) or not raw_conversations:
        errors.append("conversations: expected a non-empty list")
        raw_conversations = []
    conversations, seen = [], set()
    for index, raw in enumerate(raw_conversations, 1):
        where = f"conversation #{index}"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        cid = raw.get("id")
        if not isinstance(cid, str) or not cid.strip():
            errors.append(f"{where}: missing `id`")
            cid = f"#{index}"
        else:
            where = f"conversation {cid!r}"
            if cid in seen:
                errors.append(f"{where}: duplicate id")
            seen.add(cid)
        flow = raw.get("flow")
        if flow not in FLOWS:
            errors.append(f"{where}: flow {flow!r} is not one of {', '.join(FLOWS)}")
        raw_turns = raw.get("turns")
        if not isinstance(raw_turns, list) or not raw_turns:
            errors.append(f"{where}: `turns` must be a non-empty list")
            raw_turns = []
        turns = [_turn(t, n, f"{where} turn {n}", errors) for n, t in enumerate(raw_turns, 1)]
        persona = raw.get("persona")
        conversations.append(Conversation(id=cid, flow=str(flow), persona=persona if isinstance(persona, str) else "",
                                          turns=[t for t in turns if t is not None]))
    if errors:
        raise ConversationFileError(source, errors)
    return ConversationSet(name=name or Path(source).stem, path=Path(source), today=str(today),
                           conversations=conversations)


def load_set(path: Path, name: str = "") -> ConversationSet:
    path = Path(path)
    if not path.exists():
        raise ConversationFileError(str(path), ["file not found"])
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConversationFileError(str(path), [f"not valid UTF-8 YAML: {error}"]) from None
    loaded = parse_set(data, str(path), name or set_name(path))
    loaded.sha256 = hashlib.sha256(raw).hexdigest()
    return loaded


def set_name(path: Path) -> str:
    for name, known in SETS.items():
        if Path(path).resolve() == known.resolve():
            return name
    return Path(path).stem


# --- matching -----------------------------------------------------------------------------------------

def reply_text(messages: Sequence[Dict[str, Any]]) -> str:
    """The whole reply of one turn: each bot message's text, then its button titles, one per line, NFC."""
    lines: List[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(str(message["text"]))
        lines.extend(str(b["title"]) for b in message.get("buttons") or [] if b.get("title"))
    return nfc("\n".join(lines))


def check_turn(turn: Turn, reply: str) -> List[str]:
    """Why the reply fails the turn's expectations; an empty list means it passes."""
    reply = nfc(reply)
    if not reply.strip():
        return ["empty reply (customers must always get an answer)"]
    failures = [f"all: /{p.pattern}/ did not match" for p in turn.all if not p.search(reply)]
    if turn.any and not any(p.search(reply) for p in turn.any):
        failures.append("any: none of " + ", ".join(f"/{p.pattern}/" for p in turn.any) + " matched")
    failures += [f"none: /{p.pattern}/ matched {m.group(0)!r}" for p in turn.none for m in [p.search(reply)] if m]
    return failures


def find_button(messages: Sequence[Dict[str, Any]], title: str) -> Optional[Dict[str, Any]]:
    """The first button of a reply whose title contains ``title`` (case-insensitive, accent-sensitive)."""
    wanted = nfc(title).casefold()
    for message in messages:
        for button in message.get("buttons") or []:
            if wanted in nfc(str(button.get("title", ""))).casefold():
                return button
    return None


# --- running ------------------------------------------------------------------------------------------

@dataclass
class TurnResult:
    turn: Turn
    sent: str  # what was posted (a button's payload for a resolved click)
    reply: str
    failures: List[str]
    clicked: bool = False  # a click turn whose button was found

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def said(self) -> str:
        if self.turn.click is None:
            return self.turn.user or ""
        if self.clicked:
            return f"[click] {self.turn.click} -> {self.sent}"
        return f"[click] {self.turn.click} (no such button: sent as text)"


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: List[TurnResult]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.turns)


Send = Callable[[str, str], List[Dict[str, Any]]]  # (sender, message) -> the bot's messages


class BotError(RuntimeError):
    """The bot did not answer a message (HTTP error or timeout); the turn fails, the run goes on."""


def run_conversation(conversation: Conversation, send: Send, sender: Optional[str] = None) -> ConversationResult:
    sender = sender or f"eval-{uuid.uuid4().hex}"
    previous: List[Dict[str, Any]] = []
    results = []
    for turn in conversation.turns:
        failures: List[str] = []
        button = None
        if turn.click is not None:
            button = find_button(previous, turn.click)
            if button is None:
                failures.append(f"click: no button titled like {turn.click!r} in the previous reply")
                text = turn.click
            else:
                text = str(button.get("payload") or button.get("title"))
        else:
            text = turn.user or ""
        try:
            previous = send(sender, text)
        except BotError as error:
            previous = []
            failures.append(f"no answer: {error}")
        reply = reply_text(previous)
        failures += check_turn(turn, reply)
        results.append(TurnResult(turn=turn, sent=text, reply=reply, failures=failures, clicked=button is not None))
    return ConversationResult(conversation=conversation, turns=results)


class Stack:
    """A running stack over HTTP: Rasa's REST channel, and the sandbox's reset when it has one."""

    def __init__(self, rasa_url: str, backoffice_url: Optional[str], backoffice_key: Optional[str]) -> None:
        import httpx  # the .venv runtime; the pure functions above do not need it

        self.httpx = httpx
        self.client = httpx.Client(timeout=MESSAGE_TIMEOUT)
        self.webhook = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.backoffice_url = backoffice_url.rstrip("/") if backoffice_url else None
        self.backoffice_key = backoffice_key or ""
        self.resets = bool(self.backoffice_url)
        if not self.resets:
            warn("no back office given: conversations run without sandbox resets")

    def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        try:
            response = self.client.post(self.webhook, json={"sender": sender, "message": text})
        except self.httpx.TimeoutException:
            raise BotError(f"no reply within {MESSAGE_TIMEOUT:.0f} s") from None
        if response.status_code != 200:
            raise BotError(f"HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def reset(self) -> None:
        if not self.resets:
            return
        response = self.client.post(f"{self.backoffice_url}/v1/sandbox/reset",
                                    headers={"X-API-Key": self.backoffice_key})
        if response.status_code == 404:
            self.resets = False
            warn("the back office has no POST /v1/sandbox/reset (404): conversations run without resets, "
                 "in file order, so a rerun on a fresh stack gives the same figure")
        elif response.status_code not in (200, 204):
            raise RuntimeError(f"sandbox reset failed: HTTP {response.status_code} {response.text[:300]}")

    def close(self) -> None:
        self.client.close()


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def run_set(conversation_set: ConversationSet, stack: Stack, only: str = "") -> List[ConversationResult]:
    chosen = [c for c in conversation_set.conversations if c.id.startswith(only)]
    results: List[ConversationResult] = []
    started = time.monotonic()
    for index, conversation in enumerate(chosen, 1):
        stack.reset()
        results.append(run_conversation(conversation, stack.send))
        if index % 10 == 0 or index == len(chosen):  # counts only: held-out ids are never printed
            passed = sum(r.passed for r in results)
            print(f"[{conversation_set.name}] {index}/{len(chosen)} conversations run, {passed} passed "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
    return results


# --- figures ------------------------------------------------------------------------------------------

def _count(passed: int, total: int) -> Dict[str, int]:
    return {"passed": passed, "total": total}


def summarize(results: Sequence[ConversationResult]) -> Dict[str, Any]:
    flows: Dict[str, Dict[str, Dict[str, int]]] = {}
    for flow in [f for f in FLOWS if any(r.conversation.flow == f for r in results)]:
        mine = [r for r in results if r.conversation.flow == flow]
        flows[flow] = {"conversations": _count(sum(r.passed for r in mine), len(mine)),
                       "turns": _count(sum(t.passed for r in mine for t in r.turns), sum(len(r.turns) for r in mine))}
    return {
        "conversations": _count(sum(r.passed for r in results), len(results)),
        "turns": _count(sum(t.passed for r in results for t in r.turns), sum(len(r.turns) for r in results)),
        "flows": flows,
    }


def ratio(count: Dict[str, int]) -> str:
    total = count["total"]
    return f"{count['passed']}/{total} ({100 * count['passed'] / total:.1f}%)" if total else "0/0"


def fraction(count: Dict[str, int]) -> str:
    return f"{count['passed']}/{count['total']}"


def load_results(results_dir: Path = RESULTS_DIR) -> List[Dict[str, Any]]:
    """Every (set, label) measurement in ``results_dir``, oldest first."""
    rows = []
    for path in sorted(results_dir.glob("conversations-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows += [{"label": data["label"], "set": name, **figures} for name, figures in data["sets"].items()]
    return sorted(rows, key=lambda row: row["measured_at"])


def set_order(name: str) -> Tuple[int, str]:
    return (list(SETS).index(name) if name in SETS else len(SETS), name)


def render_section(rows: List[Dict[str, Any]]) -> str:
    """The docs section: one row per (set, label), then per flow for the most recent labels."""
    rows = sorted(rows, key=lambda r: (set_order(r["set"]), r["measured_at"]))
    lines = [
        "Scripted multi-turn conversations (`tests/data/conversations_dev.yml` and `conversations_dev2.yml`, "
        "written blind by two helpers and used while tuning the bot, and "
        "`tests/data/conversations_heldout.yml`, written apart and never shown to the people tuning it), sent "
        "over HTTP to the whole stack started on loopback with throw-away databases. Each turn is checked by "
        "regexes on the bot's whole reply (texts and button titles); a conversation passes when every turn "
        "passes. Each conversation has a fresh sender and, when the sandbox offers it, a fresh sandbox. "
        "`code` is the commit the stack ran (`-dirty`: with uncommitted changes); `set version` is the file's "
        "sha256 prefix (compare labels on the same version).",
        "",
        "| set | label | conversations passed | turns passed | measured | code | set version | pinned today | resets |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['set']} | {r['label']} | {ratio(r['conversations'])} | {ratio(r['turns'])} | "
                     f"{r['measured_at'][:10]} | `{r['code']}` | `{r['sha256'][:8]}` | {r['pinned_today'] or 'not pinned'} | "
                     f"{'yes' if r['resets'] else 'no'} |")
    lines += ["", "Commands:", ""]
    commands: Dict[str, List[str]] = {}
    for r in rows:
        commands.setdefault(f"`{r['command']}`", []).append(f"{r['set']}/{r['label']}")
    lines += [f"- {', '.join(names)}: {command}" for command, names in commands.items()]
    notes = list(dict.fromkeys((r["label"], r["note"]) for r in rows if r.get("note")))
    if notes:
        lines += ["", "Notes:", ""] + [f"- `{label}`: {note}" for label, note in notes]
    latest = list(dict.fromkeys(r["label"] for r in sorted(rows, key=lambda r: r["measured_at"], reverse=True)))
    labels = list(reversed(latest[:PER_FLOW_LABELS]))
    for name in sorted({r["set"] for r in rows}, key=set_order):
        mine = {r["label"]: r for r in rows if r["set"] == name and r["label"] in labels}
        shown = [label for label in labels if label in mine]
        flows = [f for f in FLOWS if any(f in mine[label]["flows"] for label in shown)]
        if not flows:
            continue
        lines += ["", f"Per flow, set `{name}`: conversations passed · turns passed.", "",
                  "| flow | " + " | ".join(shown) + " |", "|---" * (len(shown) + 1) + "|"]
        for flow in flows:
            cells = []
            for label in shown:
                figures = mine[label]["flows"].get(flow)
                cells.append(f"{fraction(figures['conversations'])} · {fraction(figures['turns'])}" if figures else "–")
            lines.append(f"| {flow} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_summary(name: str, label: str, figures: Dict[str, Any]) -> None:
    print(f"\n{name} / {label}: conversations {ratio(figures['conversations'])}, turns {ratio(figures['turns'])}")
    print(f"  {'flow':<16} {'conversations':<18} turns")
    for flow, counts in figures["flows"].items():
        print(f"  {flow:<16} {ratio(counts['conversations']):<18} {ratio(counts['turns'])}")


def write_report(path: Path, label: str, runs: List[Tuple[ConversationSet, List[ConversationResult]]]) -> None:
    out = [f"# Failed turns, label `{label}`, {dt.datetime.now():%Y-%m-%d %H:%M}", ""]
    for conversation_set, results in runs:
        failed = [(r, t) for r in results for t in r.turns if not t.passed]
        out += [f"## Set `{conversation_set.name}` ({conversation_set.path}): {len(failed)} failed turns in "
                f"{sum(not r.passed for r in results)}/{len(results)} conversations", ""]
        for result, turn in failed:
            out += [f"### {result.conversation.id} (flow {result.conversation.flow}), turn {turn.turn.number}", "",
                    f"- user: {turn.said}", f"- good reply: {turn.turn.good_reply.strip()}",
                    "- failed: " + "; ".join(turn.failures), "- bot:", "", "```", turn.reply or "(empty)", "```", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    print(f"report of the failed turns: {path}")


def code_version(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty", "--abbrev=7"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save_results(label: str, measured: Dict[str, Dict[str, Any]], results_dir: Path = RESULTS_DIR) -> Path:
    """Merge this run's sets into the label's results file (sets not run this time are kept)."""
    path = results_dir / f"conversations-{label}.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"label": label, "sets": {}}
    data["sets"].update(measured)
    results_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


# --- command line -------------------------------------------------------------------------------------

@contextmanager
def started_stack(root: Path, today: str, timeout: float) -> Iterator[Stack]:
    """The whole stack of ``root`` on free ports with throw-away databases, pinned to ``today``."""
    import isolated_stack

    # IsolatedStack runs <ROOT>/scripts/stack.py from ROOT: point it at another checkout (a baseline worktree).
    saved, isolated_stack.ROOT = isolated_stack.ROOT, root
    env = {"ASSISTANT_TODAY": today, "BACKOFFICE_ALLOW_RESET": "true"}
    try:
        with tempfile.TemporaryDirectory(prefix="eval-conversations-") as tmp:
            print(f"starting the stack of {root} (pinned to {today}) ...", flush=True)
            with isolated_stack.IsolatedStack(Path(tmp), timeout=timeout, extra_env=env) as running:
                stack = Stack(running.rasa_url, running.backoffice_url, running.backoffice_key)
                try:
                    yield stack
                finally:
                    stack.close()
    finally:
        isolated_stack.ROOT = saved


def is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", action="append", metavar="dev|dev2|heldout|PATH",
                        help="conversation set(s) to run (repeatable; default: dev and heldout)")
    parser.add_argument("--label", default="current", help="name of this measurement (default: current)")
    parser.add_argument("--rasa-url", help="run against this running Rasa server instead of starting a stack")
    parser.add_argument("--backoffice-url", help="its back office (for the sandbox resets)")
    parser.add_argument("--backoffice-key", help="the back office's API key")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="checkout whose stack is started (default: this repository), e.g. a baseline worktree")
    parser.add_argument("--only", default="", metavar="ID_PREFIX",
                        help="run only the conversations whose id starts with this (implies --no-write)")
    parser.add_argument("--report", type=Path, help="write every failed turn to this Markdown file")
    parser.add_argument("--no-write", action="store_true", help="write neither docs/results nor docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write this run's figures to this file")
    parser.add_argument("--note", default="", help="what changed since the previous label (shown under the table)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds the stack may take to start")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", args.label):
        parser.error("--label: letters, digits, '.', '_' and '-' only")
    if bool(args.backoffice_url) != bool(args.backoffice_key):
        parser.error("--backoffice-url and --backoffice-key go together")
    if args.backoffice_url and not args.rasa_url:
        parser.error("--backoffice-url needs --rasa-url (without it the runner starts its own stack)")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        sets = [load_set(SETS.get(s, Path(s))) for s in args.sets or list(SETS)]
    except ConversationFileError as error:
        print(error, file=sys.stderr)
        return 2
    names = [s.name for s in sets]
    if len(set(names)) != len(names):
        print(f"the same set is given twice: {names}", file=sys.stderr)
        return 2
    if args.report and is_inside(args.report, ROOT) and any(s.name == "heldout" for s in sets):
        print("refusing to write held-out failures inside the repository: give --report a path outside it "
              "(e.g. /tmp/eval-heldout.md)", file=sys.stderr)
        return 2
    root = args.root.resolve()
    if not args.rasa_url:
        todays = {s.today for s in sets}
        if len(todays) > 1:
            print(f"the sets are pinned to different dates ({', '.join(sorted(todays))}): run them separately",
                  file=sys.stderr)
            return 2
        if not (root / "scripts" / "stack.py").exists() or not list((root / "models").glob("*.tar.gz")):
            print(f"{root}: needs scripts/stack.py and a trained model in models/ (make train)", file=sys.stderr)
            return 2
    write = not args.no_write and not args.only
    given = list(argv if argv is not None else sys.argv[1:])
    if "--note" in given:  # the note is shown under the table, not in the command
        at = given.index("--note")
        given[at + 1:at + 2] = ["'…'"]
    command = " ".join(["scripts/eval_conversations.py", *given])

    runs: List[Tuple[ConversationSet, List[ConversationResult]]] = []
    if args.rasa_url:
        stack_context = _external(args)
        pinned = None
    else:
        stack_context = started_stack(root, sets[0].today, args.timeout)
        pinned = sets[0].today
    with stack_context as stack:
        try:
            stack.send(f"eval-warmup-{uuid.uuid4().hex}", "xin chào")  # the first message loads the models
        except BotError as error:
            warn(f"warm-up message: {error}")
        for conversation_set in sets:
            runs.append((conversation_set, run_set(conversation_set, stack, args.only)))
        resets = stack.resets

    measured_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    measured = {}
    for conversation_set, results in runs:
        figures = summarize(results)
        print_summary(conversation_set.name, args.label, figures)
        measured[conversation_set.name] = {
            **figures, "path": _display(conversation_set.path), "sha256": conversation_set.sha256,
            "pinned_today": pinned, "measured_at": measured_at, "code": code_version(root), "command": command,
            "resets": resets, **({"note": args.note} if args.note else {}),
        }
    if args.report:
        write_report(args.report, args.label, runs)
    if args.json:
        args.json.write_text(json.dumps(measured, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if write:
        print(f"results: {save_results(args.label, measured)}")
        write_section(SECTION, HEADING, render_section(load_results()))
    elif args.only:
        print("(--only: a partial run, nothing written)")
    return 0


@contextmanager
def _external(args: argparse.Namespace) -> Iterator[Stack]:
    stack = Stack(args.rasa_url, args.backoffice_url, args.backoffice_key)
    warn("running against a stack started elsewhere: its date is not pinned by this runner")
    try:
        yield stack
    finally:
        stack.close()


def _display(path: Path) -> str:
    return str(path.resolve().relative_to(ROOT)) if is_inside(path, ROOT) else str(path)


if __name__ == "__main__":
    sys.exit(main())
