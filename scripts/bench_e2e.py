"""End-to-end latency of a bill lookup: customer message in -> bot reply out, over HTTP.

    make bench

Starts the whole stack on free loopback ports (scripts/isolated_stack.py), then for
each conversation: asks for the bill, gives the demo customer code and the last 4
digits of the phone (verification), and asks for the bill again. Timed: every
message of the conversation, and the verified bill lookup alone (the second
question: NLU + dialogue + action server + back office + reply). Conversations run
sequentially, then CONCURRENCY at a time. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Tuple

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmarks_doc import percentile, write_section  # noqa: E402
from isolated_stack import IsolatedStack  # noqa: E402

CONVERSATION = ["tiền điện tháng này bao nhiêu", "PE01000123456", "3456"]
BILL_QUESTION = "cho em xem hóa đơn tháng trước"


def timed_post(client: httpx.Client, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = client.post(url, json={"sender": sender, "message": text}, timeout=60)
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


def run(url: str, conversations: int, concurrency: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: conversation(url), range(conversations)))
    wall = time.perf_counter() - started
    every = [ms for steps, _ in results for ms in steps]
    bills = [bill for _, bill in results]
    return {
        "concurrency": concurrency, "conversations": conversations, "messages": len(every),
        "bill_p50": percentile(bills, 50), "bill_p95": percentile(bills, 95),
        "all_p50": percentile(every, 50), "all_p95": percentile(every, 95),
        "throughput": len(every) / wall, "mean": statistics.mean(every),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, IsolatedStack(Path(tmp)) as stack:
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        conversation(url)  # warm-up
        rows = [run(url, args.conversations, 1), run(url, args.conversations, args.concurrency)]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` ({args.conversations} conversations per row; "
        "each: bill question, customer code, last 4 digits, verified bill question). "
        "Whole stack on loopback: Rasa server, action server, back-office sandbox (SQLite).",
        "",
        "| concurrent conversations | verified bill lookup p50 (ms) | p95 (ms) | every message p50 (ms) | p95 (ms) | messages/s |",
        "|---|---|---|---|---|---|",
        *[f"| {r['concurrency']} | {r['bill_p50']:.0f} | {r['bill_p95']:.0f} | {r['all_p50']:.0f} | "
          f"{r['all_p95']:.0f} | {r['throughput']:.1f} |" for r in rows],
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("bench-e2e", "End-to-end bill lookup (`make bench`)", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
