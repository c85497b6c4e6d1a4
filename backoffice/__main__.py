"""``python -m backoffice``: serve the API on BACKOFFICE_HOST:BACKOFFICE_PORT (see settings.py)."""

from __future__ import annotations

import sys

from common import logmask
from common.private import private_umask

# Before anything logs or writes: phones masked in every log record (uvicorn's access log
# included), files this process creates (its SQLite database and journal) readable by us only.
logmask.install()
private_umask()

import uvicorn  # noqa: E402

from backoffice.settings import Settings, SettingsError  # noqa: E402


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"backoffice: {error}", file=sys.stderr)
        return 2
    from backoffice.app import create_app  # after the settings check: fail fast and clearly

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", server_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
