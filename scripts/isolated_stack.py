"""Runs the whole stack (scripts/stack.py) on free loopback ports with throw-away data, for tests and benchmarks.

    with IsolatedStack(tmp_dir) as stack:
        requests.post(stack.rasa_url + "/webhooks/rest/webhook", ...)
    stack.exit_code, stack.output  # after a clean Ctrl-C (SIGINT) stop

Stdlib only, so it runs in both runtimes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from common import layout  # noqa: E402
from common.layout import ACTION_SERVER, BACKOFFICE, RASA, WEBAPP  # noqa: E402

READY_LINE = "the assistant is ready"
TOKEN = "isolated-stack-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StackFailed(RuntimeError):
    pass


def start_service(command: List[str], env: Dict[str, str], health_url: str, log: Path,
                  timeout: float = 120) -> subprocess.Popen:
    """Start one service in its own process group and wait until ``health_url`` answers 200."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(health_url, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:  # refused, reset, timeout: not up yet
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise StackFailed(f"{' '.join(command)} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def stop_service(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the service's process group, SIGKILL if it does not stop in time."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start_webapp(work_dir: Path, seed_file: Path, admin_password: str, extra_env: Optional[Dict[str, str]] = None,
                 timeout: float = 180, python: str = sys.executable) -> Tuple[subprocess.Popen, str]:
    """The web app alone on a free port, its SQLite database in ``work_dir``; returns (process, base URL).

    ``python`` is the 3.11 runtime's interpreter (the default when called from it).
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), WEBAPP.port_var: str(port), "WEBAPP_ADMIN_PASSWORD": admin_password,
           "WEBAPP_DATABASE_URL": layout.sqlite_url(Path(work_dir) / layout.WEBAPP_DB.name),
           "KB_SEED_FILE": str(seed_file), "KB_SYNC_INTERVAL": "0.2", **(extra_env or {})}
    url = WEBAPP.base(port=port)
    log = Path(work_dir) / f"webapp-{port}.log"
    return start_service([python, "-m", "webapp"], env, f"{url}/health", log, timeout), url


class IsolatedStack:
    TODAY = "2026-11-24"  # ASSISTANT_TODAY of every service: tests and evaluations do not depend on the date

    def __init__(self, work_dir: Path, timeout: float = 240, token: str = TOKEN,
                 extra_env: Optional[Dict[str, str]] = None) -> None:
        self.work_dir = Path(work_dir)
        self.extra_env = dict(extra_env or {})  # merged last into env(): it overrides everything
        self.timeout = timeout
        self.token = token
        # Keyed by the services' names (common.layout): "rasa", "actions", "backoffice", "webapp".
        self.ports: Dict[str, int] = {address.name: free_port() for address in (RASA, ACTION_SERVER, BACKOFFICE, WEBAPP)}
        self.rasa_url = RASA.base(port=self.ports[RASA.name])
        self.backoffice_url = BACKOFFICE.base(port=self.ports[BACKOFFICE.name])
        self.backoffice_key = "isolated-stack-key"
        self.action_token = "isolated-stack-action-token"
        self.action_url = ACTION_SERVER.base(port=self.ports[ACTION_SERVER.name])
        self.webapp_url = WEBAPP.base(port=self.ports[WEBAPP.name])
        self.proof_key = "isolated-stack-proof-key"
        self.process: Optional[subprocess.Popen] = None
        self.exit_code: Optional[int] = None
        self._output = self.work_dir / "stack.out"

    @property
    def output(self) -> str:
        return self._output.read_text(errors="replace") if self._output.exists() else ""

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted((self.work_dir / "logs").glob("*.log")))

    def env(self) -> Dict[str, str]:
        return {
            **os.environ,
            RASA.port_var: str(self.ports[RASA.name]),
            "RASA_AUTH_TOKEN": self.token,
            ACTION_SERVER.port_var: str(self.ports[ACTION_SERVER.name]),
            ACTION_SERVER.url_var: ACTION_SERVER.url(port=self.ports[ACTION_SERVER.name]),
            "ACTION_SERVER_TOKEN": self.action_token,
            "VERIFICATION_PROOF_KEY": self.proof_key,
            "KB_LOG_TOKEN": "isolated-stack-kb-log-token",
            BACKOFFICE.port_var: str(self.ports[BACKOFFICE.name]),
            BACKOFFICE.url_var: self.backoffice_url,
            "BACKOFFICE_API_KEY": self.backoffice_key,
            "BACKOFFICE_DATABASE_URL": layout.sqlite_url(self.work_dir / layout.BACKOFFICE_DB.name),
            WEBAPP.port_var: str(self.ports[WEBAPP.name]),
            WEBAPP.url_var: self.webapp_url,
            "WEBAPP_ADMIN_PASSWORD": "isolated-stack-admin",
            "WEBAPP_DATABASE_URL": layout.sqlite_url(self.work_dir / layout.WEBAPP_DB.name),
            "STACK_LOG_DIR": str(self.work_dir / "logs"),
            "ASSISTANT_TODAY": self.TODAY,
            **self.extra_env,
        }

    def __enter__(self) -> "IsolatedStack":
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "stack.py"), "--timeout", str(self.timeout)],
            cwd=ROOT, env=self.env(), stdout=self._output.open("wb"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.timeout + 10
        while READY_LINE not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise StackFailed(f"stack did not start:\n{self.output}\n{self.logs()}")
            time.sleep(0.5)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C on `make run` sends
        try:
            self.exit_code = self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.exit_code = self.process.wait()
