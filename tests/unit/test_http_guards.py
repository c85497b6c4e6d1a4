"""The Rasa server's HTTP guards (rasa_server/guards.py) and the action server's (action_server/app.py),
in process; tests/security/test_stack_attacks.py replays the attacks over real HTTP."""

from __future__ import annotations

import pytest

from rasa_server import guards


@pytest.mark.parametrize("header, host", [
    ("127.0.0.1:5005", "127.0.0.1"), ("LOCALHOST", "localhost"), ("[::1]:5005", "::1"),
    ("evil.example:5005", "evil.example"), ("", ""),
])
def test_host_of(header, host):
    assert guards.host_of(header) == host


@pytest.mark.parametrize("body, problem", [
    ({"sender": "a", "message": "xin chào"}, None),
    ({"message": "xin chào"}, "sender_required"),           # would land in the shared "default"
    ({"sender": "  ", "message": "x"}, "sender_required"),
    ({"sender": 12, "message": "x"}, "sender_required"),
    ({"sender": "a" * 129, "message": "x"}, "sender_required"),
    ({"sender": "a"}, "message_required"),
    ({"sender": "a", "message": {"text": "x"}}, "message_required"),
    (["sender", "message"], "body_not_an_object"),
    ("text", "body_not_an_object"),
    (None, "body_not_an_object"),
])
def test_channel_message(body, problem):
    assert guards.channel_message(body) == problem


def test_the_guard_patch_fits_the_installed_rasa():
    """If Rasa's create_app changed, the launcher refuses to serve: re-read the guard first."""
    assert guards.http_guards({"127.0.0.1"}).problems() == []


def test_the_action_server_refuses_to_start_without_a_token():
    from action_server.app import create

    with pytest.raises(ValueError, match="ACTION_SERVER_TOKEN"):
        create("", {"127.0.0.1"})
