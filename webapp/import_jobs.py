"""Spreadsheet imports off the request path: a job per upload, run by one worker thread, polled.

``POST /api/kb/import`` checks what it can without parsing (size, format, the archive's
declared sizes: knowledge_base.spreadsheet.check), then queues the file and answers 202 with
the job; ``GET /api/kb/imports/{id}`` says where it is: ``queued``, ``running``, then
``succeeded`` with the counts, or ``failed`` with the error the import would have answered
(its HTTP ``status`` and the usual ``code``, ``message``, ``fields``/``details``). One import
runs at a time, so a big file slows at most itself; ``max_pending`` waiting files at most
(then 503 with Retry-After). Finished jobs are kept ``keep_seconds`` (and ``keep`` of them).

``ImportJobs`` keeps them in this process (an admin polls the replica that took the file; the
production issue moves jobs to a shared queue).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

from webkit.errors import ApiError
from webkit.orm import utcnow

log = logging.getLogger("uvicorn.error")
QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
JOB_ID_PATTERN = r"^[A-Za-z0-9_-]{22}$"


@dataclass
class Job:
    id: str
    dry_run: bool
    author: str
    status: str = QUEUED
    created_at: dt.datetime = field(default_factory=utcnow)
    started_at: Optional[dt.datetime] = None
    finished_at: Optional[dt.datetime] = None
    result: Optional[Any] = None
    error: Optional[Dict[str, Any]] = None
    finished: float = 0.0  # monotonic clock, for keep_seconds


class ImportJobs:
    def __init__(self, max_pending: int = 4, keep: int = 100, keep_seconds: float = 3600.0) -> None:
        self.max_pending = max_pending
        self.keep = keep
        self.keep_seconds = keep_seconds
        self._lock = threading.Lock()
        self._jobs: "OrderedDict[str, Job]" = OrderedDict()
        self._pending = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-import")

    def submit(self, work: Callable[[], Any], *, dry_run: bool, author: str) -> Job:
        """Queue ``work()``; its return value is the job's result, an ApiError it raises the job's error."""
        with self._lock:
            self._forget_old()
            if self._pending >= self.max_pending:
                raise ApiError(503, "unavailable", "other imports are waiting: try again in a minute",
                               retry_after=30)
            job = Job(id=secrets.token_urlsafe(16), dry_run=dry_run, author=author)
            self._jobs[job.id] = job
            self._pending += 1
        self._executor.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Optional[Job]:
        with self._lock:
            self._forget_old()
            return self._jobs.get(job_id)

    def stop(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, work: Callable[[], Any]) -> None:
        job.started_at = utcnow()
        job.status = RUNNING
        status = FAILED
        try:
            job.result = work()
            status = SUCCEEDED
        except ApiError as error:
            job.error = {"status": error.status, **error.body()}
        except Exception:  # noqa: BLE001 - the job reports it; the worker goes on
            log.exception("knowledge-base import %s failed", job.id)
            job.error = {"status": 500, "code": "internal_error", "message": "the import failed: try again later"}
        finally:
            job.finished_at, job.finished = utcnow(), time.monotonic()
            job.status = status  # last: a job seen finished has its result or error and its times
            with self._lock:
                self._pending -= 1

    def _forget_old(self) -> None:
        now = time.monotonic()
        done = [job for job in self._jobs.values() if job.status in (SUCCEEDED, FAILED)]
        for job in done:
            if now - job.finished > self.keep_seconds:
                del self._jobs[job.id]
        excess = len(self._jobs) - self.keep
        for job in [job for job in self._jobs.values() if job.status in (SUCCEEDED, FAILED)][:max(0, excess)]:
            del self._jobs[job.id]
