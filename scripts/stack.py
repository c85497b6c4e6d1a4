"""Starts every service of the assistant, waits until each is healthy, stops them all on Ctrl-C.

    python scripts/stack.py                 start the stack in the foreground
    python scripts/stack.py --wait-ready    only wait until a running stack is healthy

Addresses and secrets come from the environment (the Makefile exports .env), the default
addresses and the .run/ layout from common/layout.py; each service reads its own settings.
Each service's output goes to .run/logs/<name>.log ($STACK_LOG_DIR overrides).
Only the user running it can read what it and the services write (umask 077): .run/ is
made 0700 and what is already in it, and .env, loses every group and other permission.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from common import layout  # noqa: E402
from common.private import private_dir, private_file, private_umask, tighten  # noqa: E402
from common.settings import Env, SettingsError  # noqa: E402

LOG_DIR = Env.of().path("STACK_LOG_DIR", layout.LOG_DIR)
RASA_BIN = layout.RASA_VENV / "bin"
APP_BIN = layout.APP_VENV / "bin"
# What the services refuse to start without (each checks its own; here, to say it once and early).
SECRETS = ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "VERIFICATION_PROOF_KEY", "BACKOFFICE_API_KEY",
           "WEBAPP_ADMIN_PASSWORD")


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: str
    public_url: str
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None


def services_from_env(environ: Optional[Mapping[str, str]] = None) -> List[Service]:
    env = Env.of(environ)
    for secret in SECRETS:
        if not env.given(secret):
            sys.exit(f"{secret} is not set: run through the Makefile (it creates .env).")
    try:
        base = {address.name: address.base(env.text(address.host_var, address.host),
                                           env.port(address.port_var, address.port))
                for address in layout.SERVICES}
    except SettingsError as error:
        sys.exit(str(error))
    backoffice, webapp = base[layout.BACKOFFICE.name], base[layout.WEBAPP.name]
    actions, rasa = base[layout.ACTION_SERVER.name], base[layout.RASA.name]
    return [
        Service(
            name=layout.BACKOFFICE.name,
            command=[str(APP_BIN / "python"), "-m", "backoffice"],
            health_url=f"{backoffice}/health",
            public_url=f"{backoffice}/openapi.json",
        ),
        Service(
            name=layout.WEBAPP.name,
            command=[str(APP_BIN / "python"), "-m", "webapp"],
            health_url=f"{webapp}/health",
            public_url=f"{webapp}/api/kb/search?q=...",
        ),
        Service(
            name=layout.ACTION_SERVER.name,
            # rasa-sdk's app behind our guards (action_server/app.py); settings from the environment.
            command=[str(RASA_BIN / "python"), "-m", "action_server"],
            health_url=f"{actions}/health",
            public_url=f"{actions}{layout.ACTION_SERVER.path}",
        ),
        Service(
            name=layout.RASA.name,
            # `rasa run --enable-api …` in-process with our patches (rasa_server/launcher.py); it reads
            # its settings (rasa_server/settings.py) from the environment: no token on the command line.
            command=[str(RASA_BIN / "python"), "-m", "rasa_server"],
            health_url=f"{rasa}/",
            public_url=f"{rasa}/webhooks/rest/webhook",
        ),
    ]


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(services: List[Service], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending and time.monotonic() < deadline:
        for service in list(pending):
            if service.process is not None and service.process.poll() is not None:
                print(f"[stack] {service.name} exited with code {service.process.returncode}; "
                      f"see {LOG_DIR / (service.name + '.log')}", flush=True)
                return False
            if is_healthy(service.health_url):
                print(f"[stack] {service.name} is up", flush=True)
                pending.remove(service)
        time.sleep(0.5)
    for service in pending:
        print(f"[stack] {service.name} not healthy after {timeout:.0f}s ({service.health_url})",
              flush=True)
    return not pending


def make_private(root: Path = ROOT, log_dir: Optional[Path] = None) -> None:
    """umask 077 for the stack and its services; ``root/.run`` 0700 with what it holds (databases,
    logs, models) made private, ``root/.env`` 0600, the log folder 0700."""
    private_umask()
    tighten(root / layout.RUN_DIR.relative_to(layout.ROOT))
    env_file = root / layout.ENV_FILE.relative_to(layout.ROOT)
    if env_file.exists():
        private_file(env_file)
    private_dir(log_dir or LOG_DIR)


def start(service: Service) -> None:
    private_dir(LOG_DIR)
    with open(private_file(LOG_DIR / f"{service.name}.log"), "ab") as log:
        service.process = subprocess.Popen(
            service.command, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", **service.env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    print(f"[stack] started {service.name} (pid {service.process.pid})", flush=True)


def stop_all(services: List[Service]) -> None:
    running = [s for s in services if s.process is not None and s.process.poll() is None]
    for service in running:
        os.killpg(service.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for service in running:
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
        print(f"[stack] stopped {service.name}", flush=True)


def run(timeout: float) -> int:
    services = services_from_env()
    make_private()
    stopping = False

    def request_stop(signum, frame):  # noqa: ARG001 - signal handler signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for service in services:
            start(service)
        if not wait_healthy(services, timeout):
            return 1
        print("\n[stack] the assistant is ready:", flush=True)
        for service in services:
            print(f"  {service.name:<10} {service.public_url}", flush=True)
        print('  chat:    curl -s -XPOST {} -d \'{{"sender": "me", "message": "xin chào"}}\''
              .format(services[-1].public_url), flush=True)
        print("  or, in another terminal: make shell\n[stack] Ctrl-C stops everything", flush=True)
        while not stopping:
            crashed = [s for s in services if s.process.poll() is not None]
            if crashed:
                print(f"[stack] {crashed[0].name} stopped unexpectedly; stopping the stack",
                      flush=True)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        stop_all(services)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--wait-ready", action="store_true",
                        help="wait until a stack started elsewhere is healthy")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    if args.wait_ready:
        return 0 if wait_healthy(services_from_env(), args.timeout) else 1
    return run(args.timeout)


if __name__ == "__main__":
    sys.exit(main())
