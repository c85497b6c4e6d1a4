"""One way to configure: common.settings' readers, the action server's and the Rasa launcher's settings,
and no module of ours reading the environment on its own."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from actions.settings import ActionSettings
from common import layout
from common.settings import Env, SettingsError, undocumented
from rasa_server.settings import RasaSettings

ROOT = Path(__file__).resolve().parents[2]


# --- the readers ---------------------------------------------------------------------------------

def env(**values):
    return Env(values)


def test_missing_or_blank_values_take_the_default():
    blank = env(A="", B="   ")
    assert blank.text("A", "x") == "x" and blank.integer("B", 3) == 3 and blank.flag("A", True) is True
    assert blank.port("A", 80) == 80 and blank.url("B", "http://h:1") == "http://h:1"
    assert blank.number("MISSING", 0.5) == 0.5 and blank.names("MISSING") == ()
    assert blank.read == ["A", "B", "MISSING"]


def test_typed_values():
    values = env(N=" 42 ", F="0.25", P="8080", T="yes", OFF="Off", U="https://kb.example.vn/x",
                 L=" a, B ,,c ", REL="models/x.tar.gz", ABS="/tmp/x", C="segmented")
    assert values.integer("N", 0) == 42 and values.number("F", 1.0) == 0.25 and values.port("P", 1) == 8080
    assert values.flag("T") is True and values.flag("OFF", True) is False
    assert values.url("U", "") == "https://kb.example.vn/x" and values.names("L") == ("a", "B", "c")
    assert values.path("REL", Path("x")) == layout.ROOT / "models" / "x.tar.gz"
    assert values.path("ABS", Path("x")) == Path("/tmp/x")
    assert values.choice("C", "normalized", ("normalized", "segmented")) == "segmented"


@pytest.mark.parametrize("read, expected", [
    (lambda e: e.integer("V", 1), "V must be a whole number, not 'abc'"),
    (lambda e: e.number("V", 1.0), "V must be a number, not 'abc'"),
    (lambda e: e.port("V", 1), "V must be a port number (1-65535), not 'abc'"),
    (lambda e: e.flag("V"), "V must be true or false"),
    (lambda e: e.url("V", ""), "V must be a URL such as http://127.0.0.1:8000, not 'abc'"),
    (lambda e: e.choice("V", "a", ("a", "b")), "V must be one of a, b, not 'abc'"),
    (lambda e: e.clock("V"), "V: not an ISO date or datetime"),
])
def test_a_bad_value_names_the_variable_and_what_it_expects(read, expected):
    with pytest.raises(SettingsError) as error:
        read(env(V="abc"))
    assert str(error.value).startswith(expected)


@pytest.mark.parametrize("values, read", [
    ({"V": "70000"}, lambda e: e.port("V", 1)), ({"V": "0"}, lambda e: e.port("V", 1)),
    ({"V": "0"}, lambda e: e.integer("V", 1, minimum=1)), ({"V": "11"}, lambda e: e.integer("V", 1, maximum=10)),
    ({"V": "-1"}, lambda e: e.number("V", 1.0, positive=True)), ({"V": "nan"}, lambda e: e.number("V", 1.0)),
    ({"V": "1.5"}, lambda e: e.number("V", 0.5, maximum=1.0)), ({"V": "ftp://h/x"}, lambda e: e.url("V", "")),
    ({"V": "http://h:99999"}, lambda e: e.url("V", "")), ({"V": "http://"}, lambda e: e.url("V", "")),
])
def test_out_of_range_values_are_refused(values, read):
    with pytest.raises(SettingsError, match="^V "):
        read(Env(values))


def test_secrets_required_or_optional_and_never_echoed():
    assert env().secret("S") == "" and env(S="  ").secret("S") == ""
    with pytest.raises(SettingsError, match="^S is not set: make creates it$"):
        env(S=" ").secret("S", required=True, hint="make creates it")
    with pytest.raises(SettingsError, match="^S must have 16 characters or more$") as error:
        env(S="hunter2").secret("S", min_length=16)
    assert "hunter2" not in str(error.value)
    assert env(S=" k ").secret("S") == " k " and env(S=" k ").secret("S", strip=True) == "k"


def test_the_clock_and_retired_variables():
    assert env().clock().pinned is False
    assert env(ASSISTANT_TODAY="2026-11-24").clock().now() == dt.datetime(2026, 11, 24, 10, 0)
    env().retired("OLD", "NEW")
    with pytest.raises(SettingsError, match="^OLD is replaced by NEW"):
        env(OLD="").retired("OLD", "NEW")


# --- the action server ---------------------------------------------------------------------------

def test_the_action_settings_defaults_come_from_the_layout():
    settings = ActionSettings.from_env({})
    assert (settings.action_server_host, settings.action_server_port) == ("127.0.0.1", 5055)
    assert settings.backoffice_url == layout.BACKOFFICE.url() == "http://127.0.0.1:8100"
    assert settings.webapp_url == layout.WEBAPP.url() == "http://127.0.0.1:8000"
    assert settings == ActionSettings() and settings.clock.pinned is False


def test_the_action_settings_from_the_environment():
    settings = ActionSettings.from_env({
        "ACTION_SERVER_PORT": "6000", "BACKOFFICE_URL": "http://bo.example.vn", "BACKOFFICE_TIMEOUT": "1.5",
        "BACKOFFICE_API_KEY": "key", "ACTION_SERVER_TOKEN": "token", "VERIFICATION_PROOF_KEY": "proof",
        "KB_LOG_TOKEN": " log-token ", "VERIFICATION_TTL_MINUTES": "10", "ASSISTANT_TODAY": "2026-11-24",
    })
    assert (settings.action_server_port, settings.backoffice_url, settings.backoffice_timeout) == \
        (6000, "http://bo.example.vn", 1.5)
    assert (settings.backoffice_api_key, settings.action_server_token, settings.verification_proof_key,
            settings.kb_log_token) == ("key", "token", "proof", "log-token")
    assert settings.verification_ttl_minutes == 10 and settings.clock.today() == dt.date(2026, 11, 24)
    assert not any(secret in repr(settings) for secret in ("key", "token", "proof"))
    assert ActionSettings.from_environ({"ACTION_SERVER_PORT": "6000"}).action_server_port == 6000  # the old name


@pytest.mark.parametrize("name, value", [("ACTION_SERVER_PORT", "x"), ("BACKOFFICE_TIMEOUT", "0"),
                                         ("BACKOFFICE_URL", "127.0.0.1:8100"), ("VERIFICATION_TTL_MINUTES", "often"),
                                         ("ASSISTANT_TODAY", "24/11/2026")])
def test_bad_action_settings_name_their_variable(name, value):
    with pytest.raises(SettingsError, match=f"^{name}"):
        ActionSettings.from_env({name: value})


def test_the_action_server_refuses_bad_settings_at_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_SERVER_PORT": "http"}
    result = subprocess.run([sys.executable, "-m", "action_server"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "ACTION_SERVER_PORT must be a port number" in result.stderr


# --- what each settings class reads is documented ------------------------------------------------

def test_every_variable_of_the_action_server_and_rasa_is_in_env_example(names_read):
    names = names_read(ActionSettings) + names_read(RasaSettings, RASA_AUTH_TOKEN="t")
    assert len(names) > 15
    assert undocumented(names) == []


# --- nobody else reads the environment -----------------------------------------------------------

PACKAGES = ("actions", "action_server", "backoffice", "bot", "common", "knowledge_base", "rasa_server", "tariff",
            "vocabulary", "webapp", "webkit", "connectors", "gateway")
# common/settings.py is the one place (process_environ); common/clock.py's default is the process's clock
# at call time (tariff functions called without a day; tests/unit/test_tariff.py).
ALLOWED = {"common/settings.py", "common/clock.py"}


def environment_reads(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb", "putenv") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            yield node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module == "os" \
                and any(alias.name in ("environ", "getenv", "environb") for alias in node.names):
            yield node.lineno


def test_no_module_of_ours_reads_the_environment_on_its_own():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in ALLOWED:
                found += [f"{relative}:{line}" for line in environment_reads(path)]
    assert found == [], "read the variable in the service's settings class instead"
