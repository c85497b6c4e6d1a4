"""Where things are: the ``.run/`` folder, the services' default addresses and URLs, in one place.

The services' settings take their defaults from here, and so do ``scripts/stack.py`` and
``scripts/isolated_stack.py``; the Makefile and .env.example keep their own copies of the
values, which tests/unit/test_layout.py checks against these. From a shell::

    python -m common.layout RASA_PORT        5005
    python -m common.layout                  every NAME=value (paths relative to the repository)

A service's variables are named from its prefix: ``<PREFIX>_HOST``, ``<PREFIX>_PORT`` and, for
the services others call, ``<PREFIX>_URL``. Standard library only (both runtimes import it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent

# --- files and folders ------------------------------------------------------------------------

ENV_FILE = ROOT / ".env"
ENV_EXAMPLE = ROOT / ".env.example"
RASA_VENV = ROOT / ".venv-rasa"  # Python 3.10: Rasa, the action server
APP_VENV = ROOT / ".venv"  # Python 3.11: the back office, the web app, the knowledge base
MODELS_DIR = ROOT / "models"  # trained Rasa models (the newest is served unless RASA_MODEL says)
RUN_DIR = ROOT / ".run"  # everything the services write; 0700 (common.private)
LOG_DIR = RUN_DIR / "logs"  # one <service>.log each (STACK_LOG_DIR overrides)
STACK_PID = RUN_DIR / "stack.pid"  # make run-bg / make stop
STACK_LOG = RUN_DIR / "stack.log"
RESULTS_DIR = RUN_DIR / "results"  # rasa test core
BACKOFFICE_DB = RUN_DIR / "backoffice.db"  # the sandbox's SQLite database
WEBAPP_DB = RUN_DIR / "webapp.db"  # the web app's SQLite database (knowledge base, accounts)
KB_MODEL_DIR = RUN_DIR / "kb-model"  # make kb-model: the fine-tuned embedding model and its fusion.json
KB_FUSION_DIR = RUN_DIR / "kb-fusion"  # fusions learned for hub models (no folder of their own)
SEED_ENTRIES = ROOT / "knowledge_base" / "seed" / "entries.yml"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- addresses --------------------------------------------------------------------------------

LOOPBACK = "127.0.0.1"
# Names a Host header may give for a service listening on loopback (DNS rebinding checks).
LOCAL_HOSTS: Tuple[str, ...] = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Address:
    """A service's default address, and the names of the variables that move it."""

    name: str  # as scripts/stack.py names it (logs, messages)
    prefix: str  # RASA -> RASA_HOST, RASA_PORT
    port: int
    host: str = LOOPBACK
    path: str = ""  # what the URL others call it by adds to the address (/webhook)

    @property
    def host_var(self) -> str:
        return f"{self.prefix}_HOST"

    @property
    def port_var(self) -> str:
        return f"{self.prefix}_PORT"

    @property
    def url_var(self) -> str:
        return f"{self.prefix}_URL"

    def base(self, host: Optional[str] = None, port: Optional[int] = None) -> str:
        """``http://host:port`` (the default address unless given)."""
        host = host or self.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{port or self.port}"

    def url(self, host: Optional[str] = None, port: Optional[int] = None) -> str:
        """The URL others call the service by: the base and ``path``."""
        return self.base(host, port) + self.path


RASA = Address("rasa", "RASA", 5005)
ACTION_SERVER = Address("actions", "ACTION_SERVER", 5055, path="/webhook")
BACKOFFICE = Address("backoffice", "BACKOFFICE", 8100)
WEBAPP = Address("webapp", "WEBAPP", 8000)
# In the order scripts/stack.py starts them (each one's callees first).
SERVICES: Tuple[Address, ...] = (BACKOFFICE, WEBAPP, ACTION_SERVER, RASA)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def defaults() -> Dict[str, str]:
    """Every value by name, as a shell or a Makefile writes it (paths relative to the repository)."""
    values: Dict[str, str] = {}
    for address in SERVICES:
        values[address.host_var] = address.host
        values[address.port_var] = str(address.port)
    for address in (ACTION_SERVER, BACKOFFICE, WEBAPP):
        values[address.url_var] = address.url()
    values.update({
        "RUN_DIR": _relative(RUN_DIR), "LOG_DIR": _relative(LOG_DIR), "MODELS_DIR": _relative(MODELS_DIR),
        "RESULTS_DIR": _relative(RESULTS_DIR), "STACK_PID": _relative(STACK_PID), "STACK_LOG": _relative(STACK_LOG),
        "BACKOFFICE_DB": _relative(BACKOFFICE_DB), "WEBAPP_DB": _relative(WEBAPP_DB),
        "KB_MODEL_DIR": _relative(KB_MODEL_DIR), "KB_FUSION_DIR": _relative(KB_FUSION_DIR),
        "RASA_VENV": _relative(RASA_VENV), "APP_VENV": _relative(APP_VENV),
    })
    return values


def main(argv: Sequence[str]) -> int:
    values = defaults()
    if not argv:
        print("\n".join(f"{name}={value}" for name, value in values.items()))
        return 0
    unknown = [name for name in argv if name not in values]
    if unknown:
        print(f"common.layout: unknown name(s) {', '.join(unknown)}; known: {', '.join(values)}", file=sys.stderr)
        return 2
    print("\n".join(values[name] for name in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
