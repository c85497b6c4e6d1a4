"""The Rasa server's settings, read from the environment once by ``python -m rasa_server``.

RASA_AUTH_TOKEN      required: the token of Rasa's HTTP API (make generates it in .env); never on
                     the command line
RASA_HOST/RASA_PORT  listen address (127.0.0.1:5005, common.layout)
RASA_MODEL           the model to serve, a .tar.gz; default: the newest in models/
RASA_SERVER_PATCHES  on (default) or off: rasa_server.patches applied or not

ACTION_SERVER_URL and ACTION_SERVER_TOKEN are read by Rasa itself, from endpoints.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from common import layout
from common.settings import Env
from rasa_server.patches import ENV_SWITCH as PATCHES_SWITCH


@dataclass(frozen=True)
class RasaSettings:
    auth_token: str = field(repr=False)
    host: str = layout.RASA.host
    port: int = layout.RASA.port
    model: Path = layout.MODELS_DIR  # a model file, or the folder whose newest model is served
    endpoints: Path = layout.ROOT / "endpoints.yml"
    credentials: Path = layout.ROOT / "credentials.yml"
    patches: bool = True

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "RasaSettings":
        """The settings of ``environ`` (``os.environ`` by default); SettingsError names a bad variable."""
        env = Env.of(environ)
        return cls(
            auth_token=env.secret("RASA_AUTH_TOKEN", required=True,
                                  hint="the HTTP API needs a token (make creates it in .env)."),
            host=env.text("RASA_HOST", cls.host),
            port=env.port("RASA_PORT", cls.port),
            model=env.path("RASA_MODEL", cls.model),
            patches=env.flag(PATCHES_SWITCH, True),
        )
