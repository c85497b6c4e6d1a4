"""``python -m backoffice``: serve the API on BACKOFFICE_HOST:BACKOFFICE_PORT (see settings.py)."""

from __future__ import annotations

import sys

import uvicorn

from backoffice.settings import Settings, SettingsError


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"backoffice: {error}", file=sys.stderr)
        return 2
    from backoffice.app import create_app  # after the settings check: fail fast and clearly

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
