import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The actions' secrets for the tests that run actions in process (the stack gets its own).
os.environ.setdefault("VERIFICATION_PROOF_KEY", "test-proof-key")
os.environ.setdefault("ACTION_SERVER_TOKEN", "test-action-token")


# --- one whole stack for the tests that talk to it over HTTP (integration and security) ----------
# scripts/stack.py as `make run` starts it, started once per test session on free loopback ports
# with throw-away databases; the sandbox can be reset between conversations. At the end it must
# stop cleanly on Ctrl-C, every service with it.

import pytest  # noqa: E402
import requests  # noqa: E402


class RecordingEnviron(dict):
    """An environ mapping that remembers every name a settings class asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = []

    def get(self, name, default=None):
        self.asked.append(name)
        return super().get(name, default)


@pytest.fixture
def names_read():
    """``names_read(SettingsClass, REQUIRED="value", …)``: the variables its ``from_env`` reads."""
    def read(settings_class, **required):
        environ = RecordingEnviron(required)
        settings_class.from_env(environ)
        return environ.asked
    return read

sys.path.insert(0, str(ROOT / "scripts"))
from isolated_stack import IsolatedStack, StackFailed  # noqa: E402

MODEL = ROOT / "models" / "assistant.tar.gz"


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    running = IsolatedStack(tmp_path_factory.mktemp("stack"), extra_env={"BACKOFFICE_ALLOW_RESET": "true"})
    try:
        running.__enter__()
    except StackFailed as error:
        pytest.fail(str(error))
    yield running
    running.stop()
    assert running.exit_code == 0, running.output
    assert all(f"stopped {name}" in running.output for name in ("rasa", "actions", "backoffice", "webapp"))
    for port in running.ports.values():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
