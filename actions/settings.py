"""The action server's settings, read from the environment once (documented in .env.example).

Every module of ``actions/`` takes its configuration from :func:`settings`; none reads
``os.environ`` itself. The readers and their errors are common.settings'; the default
addresses common.layout's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Mapping, Optional

from common import layout
from common.clock import Clock
from common.settings import Env


@dataclass(frozen=True)
class ActionSettings:
    """Secrets are left out of the repr (a logged settings object shows none)."""

    action_server_host: str = layout.ACTION_SERVER.host
    action_server_port: int = layout.ACTION_SERVER.port
    backoffice_url: str = layout.BACKOFFICE.url()
    backoffice_api_key: str = field(default="", repr=False)
    backoffice_timeout: float = 5.0
    webapp_url: str = layout.WEBAPP.url()
    # The bot's secret for logging unanswered questions (header X-KB-Log-Token of the search).
    kb_log_token: str = field(default="", repr=False)
    # Shared secret Rasa sends in the X-Action-Token header (endpoints.yml); empty refuses every call.
    action_server_token: str = field(default="", repr=False)
    # Key of the verification proofs (actions/identity.py); known to the action server only.
    verification_proof_key: str = field(default="", repr=False)
    verification_ttl_minutes: int = 30
    sensitive_verification_minutes: int = 5
    # Our own limits on identity checks, before the back office's lock (actions/attempts.py).
    verification_attempts_per_conversation: int = 3
    verification_attempts_per_code: int = 4
    verification_backoff_seconds: int = 60
    # The assistant's one clock (ASSISTANT_TODAY, common/clock.py): actions/clock.py reads it here.
    clock: Clock = field(default_factory=Clock)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ActionSettings":
        """The settings of ``environ`` (``os.environ`` by default); SettingsError names a bad variable."""
        env = Env.of(environ)
        return cls(
            action_server_host=env.text("ACTION_SERVER_HOST", cls.action_server_host),
            action_server_port=env.port("ACTION_SERVER_PORT", cls.action_server_port),
            backoffice_url=env.url("BACKOFFICE_URL", cls.backoffice_url),
            backoffice_api_key=env.secret("BACKOFFICE_API_KEY"),
            backoffice_timeout=env.number("BACKOFFICE_TIMEOUT", cls.backoffice_timeout, positive=True),
            webapp_url=env.url("WEBAPP_URL", cls.webapp_url),
            kb_log_token=env.secret("KB_LOG_TOKEN", strip=True),
            action_server_token=env.secret("ACTION_SERVER_TOKEN"),
            verification_proof_key=env.secret("VERIFICATION_PROOF_KEY"),
            verification_ttl_minutes=env.integer("VERIFICATION_TTL_MINUTES", cls.verification_ttl_minutes, minimum=1),
            sensitive_verification_minutes=env.integer("SENSITIVE_VERIFICATION_MINUTES",
                                                       cls.sensitive_verification_minutes, minimum=0),
            verification_attempts_per_conversation=env.integer("VERIFICATION_ATTEMPTS_PER_CONVERSATION",
                                                               cls.verification_attempts_per_conversation, minimum=1),
            verification_attempts_per_code=env.integer("VERIFICATION_ATTEMPTS_PER_CODE",
                                                       cls.verification_attempts_per_code, minimum=1),
            verification_backoff_seconds=env.integer("VERIFICATION_BACKOFF_SECONDS",
                                                     cls.verification_backoff_seconds, minimum=0),
            clock=env.clock(),
        )

    # The name this class had first; same function.
    from_environ = from_env


@functools.lru_cache(maxsize=1)
def settings() -> ActionSettings:
    """The action server's settings, read from the process's environment once (``settings.cache_clear()``
    makes the next call read it again: tests)."""
    return ActionSettings.from_env()
