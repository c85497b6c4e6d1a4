"""Multi-turn conversations of the dialogue patterns (forms, context, follow-ups), against the whole stack.

Each conversation of conversations/dialogue.yml runs on a fresh conversation after a reset of the
back-office sandbox, through the same loading and matching code as `make eval-conversations`.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from eval_conversations import BotError, load_set, run_conversation  # noqa: E402

CONVERSATIONS = load_set(Path(__file__).parent / "conversations" / "dialogue.yml")


@pytest.fixture
def stack(running_stack):
    return running_stack


def send_to(stack):
    def send(sender, text):
        response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=60)
        if response.status_code != 200:
            raise BotError(f"HTTP {response.status_code}")
        return response.json()
    return send


@pytest.mark.parametrize("conversation", CONVERSATIONS.conversations, ids=lambda c: c.id)
def test_conversation(stack, conversation):
    reset = requests.post(f"{stack.backoffice_url}/v1/sandbox/reset", headers={"X-API-Key": stack.backoffice_key},
                          timeout=30)
    assert reset.status_code == 204, reset.text
    result = run_conversation(conversation, send_to(stack), sender=f"dialogue-{uuid.uuid4().hex[:8]}")
    failed = [f"turn {n}: {t.sent!r} -> {t.reply!r}: {t.failures}" for n, t in enumerate(result.turns, 1) if t.failures]
    assert not failed, "\n".join(failed)
