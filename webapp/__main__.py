"""``python -m webapp``: serve the web app on WEBAPP_HOST:WEBAPP_PORT (see settings.py)."""

from __future__ import annotations

import logging
import sys

from common import logmask
from common.private import private_umask

# Before anything logs or writes: phones masked in every log record (uvicorn's access log
# included), files this process creates (its SQLite database) readable by us only.
logmask.install()
private_umask()

import uvicorn  # noqa: E402

from webapp.settings import Settings, SettingsError  # noqa: E402


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"webapp: {error}", file=sys.stderr)
        return 2
    from webapp import migrations
    from webkit.db import make_engine

    # The database's schema first (its tables, the shared accounts' too): created, adopted or upgraded,
    # each step said on stderr.
    said = logging.StreamHandler(sys.stderr)
    said.setFormatter(logging.Formatter("webapp: %(message)s"))
    said.addFilter(lambda record: not record.getMessage().startswith(("Context impl", "Will assume")))
    for name in ("webapp.migrations", "alembic.runtime.migration"):
        logger = logging.getLogger(name)
        logger.addHandler(said)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    engine = make_engine(settings.database_url)
    try:
        revision = migrations.upgrade(engine)
    except Exception as error:  # noqa: BLE001 - said once, clearly, and the start stops
        print(f"webapp: the database could not be migrated: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"webapp: database at revision {revision}", file=sys.stderr)

    from webapp.app import create_app  # loads the embedding model: after the settings check

    # proxy_headers=False: X-Forwarded-For from a local client is not its address (the login backoff
    # is per address); the gateway issue decides which proxy, if any, is trusted.
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                proxy_headers=False, server_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
