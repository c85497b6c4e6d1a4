"""rasa_server: the launcher's arguments, the patches, and the guard that fails when Rasa changes under them."""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from common.settings import SettingsError
from rasa_server import launcher, patches
from rasa_server.patches import ACTION_RESPONSE_VALIDATOR, Patch, Target
from rasa_server.settings import RasaSettings

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL_VALIDATE = RemoteAction.__dict__["_validate_action_result"]

VALID_RESPONSES = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "customer_code", "value": "PE01000123456", "timestamp": None},
            {"event": "slot", "name": "verified", "value": True},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_listen"},
            {"event": "bot", "text": "Dạ", "data": {"buttons": []}},
        ],
        "responses": [{"text": "Dạ, hóa đơn tháng 10 của Quý khách…", "buttons": [{"title": "Có", "payload": "/affirm"}]},
                      {"response": "utter_anything_else"}],
    },
]

INVALID_RESPONSES = [
    [],  # not an object
    {"events": {"event": "slot"}},  # events not an array
    {"events": [{"event": "slot", "value": 1}]},  # slot without a name
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "a", "value": 1}, {"event": "slot", "name": 5, "value": 2}]},
    {"responses": "Dạ"},
    {"responses": ["Dạ"]},
]


@pytest.fixture
def patched():
    assert patches.apply() == [patch.name for patch in patches.PATCHES]
    yield
    patches.remove()


def rejection(validate, response):
    with pytest.raises(Exception) as caught:
        validate(RemoteAction("action_x", None), copy.deepcopy(response))
    return caught.value


# --- the guard -----------------------------------------------------------------------------------


def test_every_patch_matches_the_installed_rasa():
    """Fails when Rasa (or jsonschema) changed under a patch: re-read it, then record the new hashes."""
    assert patches.problems() == {patch.name: [] for patch in patches.PATCHES}


def test_the_launcher_still_mirrors_rasas_entry_point():
    assert launcher.RASA_MAIN.problems() == []


def test_the_guard_reports_a_changed_source_and_the_patch_stays_out(caplog):
    recorded = ACTION_RESPONSE_VALIDATOR.replaced
    changed = Target(recorded.module, recorded.qualname, recorded.signature, "0" * 64)
    assert any("source changed" in problem for problem in changed.problems())
    patch = Patch("test-changed", ACTION_RESPONSE_VALIDATOR.requires, (changed,), ACTION_RESPONSE_VALIDATOR.build)
    with caplog.at_level(logging.ERROR, logger="rasa_server.patches"):
        assert patch.apply() is False
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE
    assert "test-changed NOT applied" in caplog.text


def test_the_guard_notices_when_rasa_replaced_the_function(monkeypatch):
    def _validate_action_result(self, result):  # same name, different code: what an upgrade looks like
        return True

    _validate_action_result.__qualname__ = "RemoteAction._validate_action_result"
    _validate_action_result.__module__ = "rasa.core.actions.action"
    monkeypatch.setattr(RemoteAction, "_validate_action_result", _validate_action_result)
    problems = ACTION_RESPONSE_VALIDATOR.problems()
    assert any("signature" in problem for problem in problems)
    assert any("source changed" in problem for problem in problems)
    assert ACTION_RESPONSE_VALIDATOR.apply() is False
    assert RemoteAction.__dict__["_validate_action_result"] is _validate_action_result


def test_the_guard_checks_the_rasa_version(monkeypatch):
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.6.22")
    assert any("rasa is 3.6.22" in problem for problem in ACTION_RESPONSE_VALIDATOR.problems())
    assert ACTION_RESPONSE_VALIDATOR.apply() is False


# --- the patch -----------------------------------------------------------------------------------


def test_apply_installs_the_patch_and_remove_restores_rasas_function(patched):
    installed = RemoteAction.__dict__["_validate_action_result"]
    assert installed is ACTION_RESPONSE_VALIDATOR.replacement is not ORIGINAL_VALIDATE
    assert installed.__wrapped__ is ORIGINAL_VALIDATE
    assert patches.apply() == ["action-response-validator"]  # idempotent
    assert RemoteAction.__dict__["_validate_action_result"] is installed
    assert ACTION_RESPONSE_VALIDATOR.problems() == []  # checked against the original it keeps
    patches.remove()
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE


@pytest.mark.parametrize("response", VALID_RESPONSES)
def test_a_valid_action_response_is_accepted(patched, response):
    assert ORIGINAL_VALIDATE(RemoteAction("action_x", None), copy.deepcopy(response)) is True
    assert RemoteAction("action_x", None)._validate_action_result(copy.deepcopy(response)) is True


@pytest.mark.parametrize("response", INVALID_RESPONSES)
def test_an_invalid_action_response_is_rejected_as_rasa_rejects_it(patched, response):
    expected = rejection(ORIGINAL_VALIDATE, response)
    got = rejection(RemoteAction._validate_action_result, response)
    assert type(got) is type(expected) is jsonschema.ValidationError
    assert got.message == expected.message and "Failed to validate Action server response" in got.message
    assert str(got) == str(expected)
    assert (got.validator, list(got.path), list(got.schema_path)) == (
        expected.validator, list(expected.path), list(expected.schema_path))


def test_the_validator_is_built_once_not_per_call(patched, monkeypatch):
    def no_schema_check(*args, **kwargs):
        raise AssertionError("the schema was checked again")

    monkeypatch.setattr(jsonschema.validators, "validate", no_schema_check)
    monkeypatch.setattr(jsonschema.Draft202012Validator, "check_schema", no_schema_check)
    assert RemoteAction("action_x", None)._validate_action_result(VALID_RESPONSES[2]) is True


def test_a_subclass_with_its_own_schema_is_validated_by_rasas_code(patched):
    class StrictAction(RemoteAction):
        @staticmethod
        def action_response_format_spec():
            return {"type": "object", "required": ["events"]}

    with pytest.raises(jsonschema.ValidationError, match="'events' is a required property"):
        StrictAction("action_x", None)._validate_action_result({})


class FakeEndpoint:
    """The action server, answering ``response``."""

    kwargs: dict = {}
    url = "http://action-server.invalid/webhook"

    def __init__(self, response):
        self.response = response

    async def request(self, **kwargs):
        return copy.deepcopy(self.response)


def run_remote_action(response):
    action = RemoteAction("action_check_bill", FakeEndpoint(response))
    tracker = DialogueStateTracker("sender", [])

    async def run():
        from rasa.core.channels.channel import CollectingOutputChannel
        from rasa.core.nlg import TemplatedNaturalLanguageGenerator

        return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker,
                                Domain.empty())

    return asyncio.run(run())


def test_rasa_runs_a_custom_action_through_the_patch(patched):
    events = run_remote_action({"events": [{"event": "slot", "name": "month", "value": "10"}],
                                "responses": [{"text": "Dạ"}]})
    assert events == [BotUttered("Dạ", {"elements": None, "quick_replies": None, "buttons": None,
                                        "attachment": None, "image": None, "custom": None}),
                      SlotSet("month", "10")]
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        run_remote_action({"events": [{"event": "slot", "value": "10"}]})


def test_the_switch_reads_on_and_off():
    assert patches.enabled({}) is True
    assert patches.enabled({"RASA_SERVER_PATCHES": "on"}) is True
    assert patches.enabled({"RASA_SERVER_PATCHES": "OFF"}) is False
    with pytest.raises(ValueError):
        patches.enabled({"RASA_SERVER_PATCHES": "of"})


# --- the launcher --------------------------------------------------------------------------------

ENV = {"RASA_AUTH_TOKEN": "s3cret-token", "RASA_HOST": "127.0.0.9", "RASA_PORT": "5123"}
SETTINGS = RasaSettings.from_env(ENV)


def test_the_launcher_builds_rasa_run_arguments_from_its_settings():
    args = launcher.build_arguments(SETTINGS)
    assert args.auth_token == "s3cret-token"
    assert (args.interface, args.port, args.enable_api) == ("127.0.0.9", 5123, True)
    assert args.model == str(ROOT / "models")
    assert (args.endpoints, args.credentials) == (str(ROOT / "endpoints.yml"), str(ROOT / "credentials.yml"))
    assert args.func.__module__ == "rasa.cli.run"  # Rasa's own `run` command
    assert "s3cret-token" not in launcher.rasa_run_argv(SETTINGS)
    assert "s3cret-token" not in repr(SETTINGS)
    assert launcher.build_arguments(RasaSettings.from_env({**ENV, "RASA_MODEL": "models/other.tar.gz"})).model \
        == str(ROOT / "models" / "other.tar.gz")


def test_the_launcher_passes_other_rasa_options_through():
    assert launcher.build_arguments(SETTINGS, ["--debug", "--response-timeout", "30"]).response_timeout == 30


@pytest.mark.parametrize("extra", [["--auth-token", "x"], ["--auth-token=x"], ["--auth", "x"]])
def test_the_launcher_refuses_a_token_on_the_command_line(extra):
    with pytest.raises(launcher.LauncherError, match="RASA_AUTH_TOKEN"):
        launcher.build_arguments(SETTINGS, extra)


def test_the_launcher_needs_the_token():
    with pytest.raises(SettingsError, match="RASA_AUTH_TOKEN is not set"):
        RasaSettings.from_env({"RASA_PORT": "5123"})
    with pytest.raises(launcher.LauncherError, match="RASA_AUTH_TOKEN is not set"):
        launcher.build_arguments(RasaSettings(auth_token=""))
    assert launcher.main([], {"RASA_PORT": "5123"}) == 2


@pytest.mark.parametrize("bad", [{"RASA_PORT": "http"}, {"RASA_PORT": "0"}, {"RASA_SERVER_PATCHES": "of"}])
def test_bad_settings_stop_the_launcher_with_the_variable_named(bad, capsys):
    assert launcher.main([], {**ENV, **bad}) == 2
    assert next(iter(bad)) in capsys.readouterr().err


def test_the_stack_starts_rasa_through_the_launcher(monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    import stack

    for name, value in {**ENV, "BACKOFFICE_API_KEY": "k", "WEBAPP_ADMIN_PASSWORD": "p"}.items():
        monkeypatch.setenv(name, value)
    rasa = next(service for service in stack.services_from_env() if service.name == "rasa")
    assert rasa.command[1:] == ["-m", "rasa_server"]
    assert not any("s3cret-token" in part for part in rasa.command)


def test_the_token_is_not_in_the_running_servers_command_line(tmp_path):
    """The launcher's process, once it has read its arguments: the token is in its environment only."""
    token = f"token-{os.getpid()}-{time.time_ns()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_AUTH_TOKEN": token, "RASA_PORT": "1",
           "RASA_TELEMETRY_ENABLED": "false"}
    log = tmp_path / "rasa.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "rasa_server"], cwd=tmp_path, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "rasa_server: patches" not in log.read_text(errors="replace"):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        environ = Path(f"/proc/{process.pid}/environ").read_bytes()
    finally:
        process.kill()
        process.wait()
    assert b"rasa_server" in cmdline and token.encode() not in cmdline
    assert f"RASA_AUTH_TOKEN={token}".encode() in environ.split(b"\0")
