"""End-to-end latency, throughput and CPU cost of the assistant over HTTP, Rasa patched vs unpatched.

    make bench                                     # writes the bench-e2e section of docs/benchmarks.md
    .venv/bin/python scripts/bench_e2e.py --rounds 1 --no-write

Starts two whole stacks on free loopback ports (scripts/isolated_stack.py): one whose Rasa
server runs with our patches (rasa_server/patches.py), one with ``RASA_SERVER_PATCHES=off``
(Rasa's own code), same code and model otherwise. A conversation: asks for the bill, gives the
demo customer code and the last 4 digits of the phone (verification), asks for the bill again
(the verified lookup: NLU + dialogue + action server + back office + reply). Each round runs,
on both stacks alternately (the order flips every round), the conversations one at a time and
then CONCURRENCY at a time, and one long conversation (LONG_TURNS messages) to see how a reply's
cost grows with the conversation's length. CPU milliseconds per message are the utime+stime
(/proc/<pid>/stat) that the Rasa server's and the action server's processes spent during a
run, divided by its messages: robust to other load on the machine, unlike latency. The table
shows each figure's median over the rounds, and the min–max spread where it matters.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmarks_doc import percentile, write_section  # noqa: E402
from isolated_stack import IsolatedStack, StackFailed  # noqa: E402

CONVERSATION = ["tiền điện tháng này bao nhiêu", "PE01000123456", "3456"]
BILL_QUESTION = "cho em xem hóa đơn tháng trước"
# After the verification (CONVERSATION), these repeat until LONG_TURNS messages were sent:
# every one runs a custom action and leaves the conversation ready for the next.
LONG_CYCLE = ["cho em xem hóa đơn tháng trước", "tôi còn nợ bao nhiêu", "dùng 150 kWh thì hết bao nhiêu tiền",
              "chỉ số công tơ tháng này"]
LONG_TURNS = 70
LONG_WINDOW = 10  # turns compared at the start and at the end of the long conversation
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ROOT = Path(__file__).resolve().parent.parent
PROFILE_RATE = 100  # py-spy samples per second
PROFILE_TOP = 14


# --- processes -----------------------------------------------------------------------------------


def _proc_stats() -> Dict[int, Tuple[int, float]]:
    """pid -> (parent pid, utime+stime in seconds) for every process."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        # fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
        stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return stats


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live descendants."""
    stats = _proc_stats()
    children: Dict[int, List[int]] = {}
    for child, (parent, _) in stats.items():
        children.setdefault(parent, []).append(child)
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += stats.get(current, (0, 0.0))[1]
        pending.extend(children.get(current, []))
    return total


class BenchStack(IsolatedStack):
    """The isolated stack with the Rasa server's patches switched on or off."""

    def __init__(self, work_dir: Path, patched: bool) -> None:
        super().__init__(work_dir)
        self.patched = patched
        self.label = "patched" if patched else "unpatched"
        self.url = f"{self.rasa_url}/webhooks/rest/webhook"

    def env(self) -> Dict[str, str]:
        return {**super().env(), "RASA_SERVER_PATCHES": "on" if self.patched else "off"}

    def pid(self, service: str) -> int:
        found = re.search(rf"started {service} \(pid (\d+)\)", self.output)
        if not found:
            raise StackFailed(f"no pid of {service} in the stack's output:\n{self.output}")
        return int(found.group(1))

    def check_patches(self) -> None:
        """The Rasa log says what the launcher did: refuse to label a row wrongly."""
        log = (self.work_dir / "logs" / "rasa.log").read_text(errors="replace")
        expected = "patches applied: action-response-validator" if self.patched else "patches disabled"
        if expected not in log:
            raise StackFailed(f"{self.label} stack: {expected!r} not in its Rasa log:\n{log[-3000:]}")


# --- load ----------------------------------------------------------------------------------------


def timed_post(client: httpx.Client, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = client.post(url, json={"sender": sender, "message": text}, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    if not response.json():
        raise RuntimeError(f"no reply to {text!r}")
    return elapsed


def conversation(url: str) -> Tuple[List[float], float]:
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    with httpx.Client() as client:
        steps = [timed_post(client, url, sender, text) for text in CONVERSATION]
        bill = timed_post(client, url, sender, BILL_QUESTION)
    return steps + [bill], bill


class CpuMeter:
    """CPU seconds of the Rasa server and the action server between start() and stop()."""

    def __init__(self, stack: BenchStack) -> None:
        self.pids = {"rasa": stack.pid("rasa"), "actions": stack.pid("actions")}
        self.start()

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def stop(self) -> Dict[str, float]:
        return {name: cpu_seconds(pid) - self.before[name] for name, pid in self.pids.items()}


def run(stack: BenchStack, conversations: int, concurrency: int) -> dict:
    meter = CpuMeter(stack)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: conversation(stack.url), range(conversations)))
    wall = time.perf_counter() - started
    cpu = meter.stop()
    every = [ms for steps, _ in results for ms in steps]
    bills = [bill for _, bill in results]
    return {
        "stack": stack.label, "concurrency": concurrency, "conversations": conversations, "messages": len(every),
        "bill_p50": percentile(bills, 50), "bill_p95": percentile(bills, 95),
        "all_p50": percentile(every, 50), "all_p95": percentile(every, 95),
        "throughput": len(every) / wall,
        "rasa_cpu": cpu["rasa"] * 1000 / len(every), "actions_cpu": cpu["actions"] * 1000 / len(every),
    }


def long_conversation(stack: BenchStack, turns: int = LONG_TURNS) -> dict:
    """One conversation of ``turns`` messages: latency and Rasa CPU per message, first vs last turns."""
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    texts = list(CONVERSATION) + [LONG_CYCLE[i % len(LONG_CYCLE)] for i in range(turns - len(CONVERSATION))]
    meter = CpuMeter(stack)
    latencies, rasa_cpu = [], []
    with httpx.Client() as client:
        for text in texts:
            meter.start()
            latencies.append(timed_post(client, stack.url, sender, text))
            rasa_cpu.append(meter.stop()["rasa"] * 1000)
    window = min(LONG_WINDOW, turns // 2)
    return {
        "stack": stack.label, "turns": turns,
        "first_p50": statistics.median(latencies[:window]), "last_p50": statistics.median(latencies[-window:]),
        "first_cpu": statistics.mean(rasa_cpu[:window]), "last_cpu": statistics.mean(rasa_cpu[-window:]),
    }


# --- profiles ------------------------------------------------------------------------------------


def find_py_spy() -> Optional[str]:
    local = ROOT / ".venv-rasa" / "bin" / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


class Profile:
    """py-spy sampling one process (CPU samples only, no idle) while the block runs."""

    def __init__(self, py_spy: str, pid: int, out: Path) -> None:
        self.command = [py_spy, "record", "--pid", str(pid), "--rate", str(PROFILE_RATE), "--format", "raw",
                        "--output", str(out)]
        self.out = out

    def __enter__(self) -> "Profile":
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(2)  # attached
        if self.process.poll() is not None:
            raise RuntimeError(f"py-spy failed: {self.process.stdout.read().decode(errors='replace')}")
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        self.process.wait(timeout=60)


def frame_key(frame: str) -> str:
    """``handle (rasa/core/x.py:12)`` -> ``handle (rasa/core/x.py)``: one row per function."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0].split("site-packages/")[-1]
    return f"{name} ({where})" if where else name


def summarize(raw: Path) -> Tuple[int, Dict[str, float], Dict[str, float]]:
    """Samples, and each function's inclusive and self share (%) of them, from py-spy's raw output."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame_key(frame) for frame in stack.split(";")]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    share = lambda counter: {key: 100 * value / max(total, 1) for key, value in counter.items()}  # noqa: E731
    return total, share(inclusive), share(own)


def profile_table(title: str, profiles: Dict[str, Tuple[int, Dict[str, float], Dict[str, float]]]) -> List[str]:
    """The functions with most CPU in either profile (event-loop plumbing, above 90% in both, left out)."""
    labels = list(profiles)
    keys: List[str] = []
    for label in labels:
        _, inclusive, _ = profiles[label]
        ranked = sorted(inclusive, key=inclusive.get, reverse=True)
        keys += [k for k in ranked if k not in keys
                 and not all(profiles[other][1].get(k, 0) > 90 for other in labels)][:PROFILE_TOP]
    keys.sort(key=lambda k: -max(profiles[label][1].get(k, 0) for label in labels))
    samples = ", ".join(f"{label} {profiles[label][0]} samples" for label in labels)
    lines = [title + f" ({samples}; inclusive = the function or what it calls, self = the function itself).",
             "", "| function (file) | " + " | ".join(f"{label} inclusive % | self %" for label in labels) + " |",
             "|---|" + "---|---|" * len(labels)]
    for key in keys:
        cells = " | ".join(f"{profiles[label][1].get(key, 0):.1f} | {profiles[label][2].get(key, 0):.1f}"
                           for label in labels)
        lines.append(f"| `{key}` | {cells} |")
    return lines


# --- report --------------------------------------------------------------------------------------


def median_of(rows: Sequence[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def spread(rows: Sequence[dict], key: str, digits: int) -> str:
    values = [row[key] for row in rows]
    middle = f"{statistics.median(values):.{digits}f}"
    return middle if len(values) < 2 else f"{middle} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def report(rows: List[dict], longs: List[dict], profiles: Dict[str, dict], args: argparse.Namespace) -> str:
    labels = ("unpatched", "patched")
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` (`{args.command}`): two whole stacks on loopback "
        "(Rasa server, action server, back-office sandbox on SQLite, web app), one with the Rasa server's patches "
        "(`rasa_server/patches.py`), one with `RASA_SERVER_PATCHES=off`; same code and model. A conversation: "
        "bill question, customer code, last 4 digits, verified bill question. "
        f"{args.rounds} rounds, the two stacks alternating (order flipped every round); each figure is the "
        "median over the rounds, (min–max) in brackets. CPU ms per message: utime+stime of the process "
        "during the run / messages (robust to the machine's other load; latency is not: 2 cores, shared).",
        "",
        "| Rasa | concurrent conversations | conversations | verified bill p50 (ms) | p95 (ms) | "
        "every message p50 (ms) | p95 (ms) | messages/s | Rasa CPU ms/message | action server CPU ms/message |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for concurrency in (1, args.concurrency):
        for label in labels:
            group = [r for r in rows if r["stack"] == label and r["concurrency"] == concurrency]
            if not group:
                continue
            lines.append(
                f"| {label} | {concurrency} | {group[0]['conversations']} | {median_of(group, 'bill_p50'):.0f} | "
                f"{median_of(group, 'bill_p95'):.0f} | {median_of(group, 'all_p50'):.0f} | "
                f"{median_of(group, 'all_p95'):.0f} | {spread(group, 'throughput', 1)} | "
                f"{spread(group, 'rasa_cpu', 1)} | {spread(group, 'actions_cpu', 1)} |")
    if longs:
        window = min(LONG_WINDOW, args.long_turns // 2)
        lines += [
            "",
            f"One conversation of {args.long_turns} messages (verification, then bill, debt, price, meter reading "
            f"in turn), one message at a time: turns 1–{window} against the last {window}.",
            "",
            f"| Rasa | reply p50, turns 1–{window} (ms) | reply p50, last {window} (ms) | "
            f"Rasa CPU ms/message, turns 1–{window} | last {window} |",
            "|---|---|---|---|---|",
        ]
        for label in labels:
            group = [r for r in longs if r["stack"] == label]
            lines.append(f"| {label} | {median_of(group, 'first_p50'):.0f} | {median_of(group, 'last_p50'):.0f} | "
                         f"{spread(group, 'first_cpu', 1)} | {spread(group, 'last_cpu', 1)} |")
    if profiles.get("concurrent"):
        lines += ["", *profile_table(
            f"Where the Rasa server's CPU goes under {args.concurrency} concurrent conversations "
            f"({args.concurrent_conversations} conversations, py-spy {PROFILE_RATE} Hz, in a separate unmeasured run",
            profiles["concurrent"])]
    if profiles.get("long"):
        lines += ["", *profile_table(
            f"Where it goes in one {args.long_turns}-message conversation (py-spy {PROFILE_RATE} Hz, separate run",
            profiles["long"])]
    if not profiles:
        lines += ["", "No profiles: py-spy was not found (`.venv-rasa/bin/pip install py-spy`) or `--no-profile`."]
    return "\n".join(lines)


def start_both(exits: ExitStack, work_dir: Path) -> List[BenchStack]:
    """Start the unpatched and the patched stack side by side (in parallel: each takes a minute)."""
    stacks = [BenchStack(work_dir / label, patched) for label, patched in (("unpatched", False), ("patched", True))]
    errors: List[BaseException] = []

    def enter(stack: BenchStack) -> None:
        try:
            stack.__enter__()
        except BaseException as error:  # noqa: BLE001 - reported below, after both tried
            errors.append(error)

    threads = [threading.Thread(target=enter, args=(stack,)) for stack in stacks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for stack in stacks:
        exits.callback(stack.stop)
    if errors:
        raise errors[0]
    for stack in stacks:
        stack.check_patches()
    return stacks


def profile_runs(py_spy: str, stacks: List[BenchStack], args: argparse.Namespace, work_dir: Path) -> Dict[str, dict]:
    """py-spy on each Rasa server during one concurrent run and one long conversation (not measured)."""
    profiles: Dict[str, dict] = {"concurrent": {}, "long": {}}
    for stack in stacks:
        out = work_dir / f"profile-{stack.label}-concurrent.txt"
        with Profile(py_spy, stack.pid("rasa"), out):
            run(stack, args.concurrent_conversations, args.concurrency)
        profiles["concurrent"][stack.label] = summarize(out)
        if args.long_turns:
            out = work_dir / f"profile-{stack.label}-long.txt"
            with Profile(py_spy, stack.pid("rasa"), out):
                long_conversation(stack, args.long_turns)
            profiles["long"][stack.label] = summarize(out)
        print(f"[bench] profiled the {stack.label} Rasa server", flush=True)
    return profiles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (each: both stacks, every run)")
    parser.add_argument("--conversations", type=int, default=15, help="conversations of a one-at-a-time run")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--concurrent-conversations", type=int, default=80,
                        help="conversations of a concurrent run")
    parser.add_argument("--long-turns", type=int, default=LONG_TURNS, help="0: no long conversation")
    parser.add_argument("--no-profile", action="store_true", help="no py-spy profiles after the measurements")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    options = [option for option in sys.argv[1:] if option != "--no-write"]
    args.command = " ".join([".venv/bin/python scripts/bench_e2e.py", *options] if options else ["make bench"])

    rows: List[dict] = []
    longs: List[dict] = []
    profiles: Dict[str, dict] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as exits:
        stacks = start_both(exits, Path(tmp))
        print(f"[bench] both stacks up in {time.monotonic() - started:.0f}s", flush=True)
        for stack in stacks:
            for _ in range(3):  # warm-up: first calls load lazily
                conversation(stack.url)
        for round_number in range(args.rounds):
            order = stacks if round_number % 2 == 0 else stacks[::-1]
            for conversations, concurrency in ((args.conversations, 1),
                                               (args.concurrent_conversations, args.concurrency)):
                for stack in order:
                    row = run(stack, conversations, concurrency)
                    rows.append(row)
                    print(f"[bench] round {round_number + 1} {row['stack']:>9} c={concurrency:<3} "
                          f"p50 {row['all_p50']:.0f} ms p95 {row['all_p95']:.0f} ms {row['throughput']:.1f} msg/s "
                          f"Rasa {row['rasa_cpu']:.1f} CPU ms/msg, actions {row['actions_cpu']:.1f}", flush=True)
            if args.long_turns:
                for stack in order:
                    result = long_conversation(stack, args.long_turns)
                    longs.append(result)
                    print(f"[bench] round {round_number + 1} {result['stack']:>9} {args.long_turns} turns: "
                          f"p50 {result['first_p50']:.0f} -> {result['last_p50']:.0f} ms, Rasa CPU "
                          f"{result['first_cpu']:.1f} -> {result['last_cpu']:.1f} ms/msg", flush=True)
        py_spy = None if args.no_profile else find_py_spy()
        if py_spy:
            profiles = profile_runs(py_spy, stacks, args, Path(tmp))
    print(f"[bench] {time.monotonic() - started:.0f}s in all\n", flush=True)
    section = report(rows, longs, profiles, args)
    print(section)
    if not args.no_write:
        write_section("bench-e2e", "End-to-end bill lookup (`make bench`)", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
