"""The action server's settings, read from the environment once (documented in .env.example).

Every module of ``actions/`` takes its configuration from :func:`settings`; none reads
``os.environ`` itself.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class ActionSettings:
    action_server_host: str = "127.0.0.1"
    action_server_port: int = 5055
    backoffice_url: str = "http://127.0.0.1:8100"
    backoffice_api_key: str = ""
    backoffice_timeout: float = 5.0
    webapp_url: str = "http://127.0.0.1:8000"
    # The bot's secret for logging unanswered questions (header X-KB-Log-Token of the search).
    kb_log_token: str = ""
    # Shared secret Rasa sends in the X-Action-Token header (endpoints.yml); empty refuses every call.
    action_server_token: str = ""
    # Key of the verification proofs (actions/identity.py); known to the action server only.
    verification_proof_key: str = ""
    verification_ttl_minutes: int = 30
    sensitive_verification_minutes: int = 5
    # Our own limits on identity checks, before the back office's lock (actions/attempts.py).
    verification_attempts_per_conversation: int = 3
    verification_attempts_per_code: int = 4
    verification_backoff_seconds: int = 60

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> "ActionSettings":
        def number(key: str, default, kind=int):
            raw = env.get(key, "").strip()
            return kind(raw) if raw else default

        return cls(
            action_server_host=env.get("ACTION_SERVER_HOST", cls.action_server_host),
            action_server_port=number("ACTION_SERVER_PORT", cls.action_server_port),
            backoffice_url=env.get("BACKOFFICE_URL", cls.backoffice_url),
            backoffice_api_key=env.get("BACKOFFICE_API_KEY", ""),
            backoffice_timeout=number("BACKOFFICE_TIMEOUT", cls.backoffice_timeout, float),
            webapp_url=env.get("WEBAPP_URL", cls.webapp_url),
            kb_log_token=env.get("KB_LOG_TOKEN", "").strip(),
            action_server_token=env.get("ACTION_SERVER_TOKEN", ""),
            verification_proof_key=env.get("VERIFICATION_PROOF_KEY", ""),
            verification_ttl_minutes=number("VERIFICATION_TTL_MINUTES", cls.verification_ttl_minutes),
            sensitive_verification_minutes=number("SENSITIVE_VERIFICATION_MINUTES",
                                                  cls.sensitive_verification_minutes),
            verification_attempts_per_conversation=number("VERIFICATION_ATTEMPTS_PER_CONVERSATION",
                                                          cls.verification_attempts_per_conversation),
            verification_attempts_per_code=number("VERIFICATION_ATTEMPTS_PER_CODE",
                                                  cls.verification_attempts_per_code),
            verification_backoff_seconds=number("VERIFICATION_BACKOFF_SECONDS", cls.verification_backoff_seconds),
        )


@functools.lru_cache(maxsize=1)
def settings() -> ActionSettings:
    return ActionSettings.from_environ(os.environ)
