"""Starts the action server: ``python -m action_server`` (settings from the environment, .env.example)."""

from __future__ import annotations

from common import logmask

logmask.install()  # first: phone numbers never reach a log in full, not even while the actions import

import logging  # noqa: E402
import sys  # noqa: E402

from action_server.app import create  # noqa: E402
from actions.settings import settings  # noqa: E402
from common.settings import SettingsError  # noqa: E402


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = settings()  # read once, here; the actions get the same object from settings()
    except SettingsError as error:
        print(f"action_server: {error}", file=sys.stderr)
        return 2
    host = config.action_server_host
    app = create(config.action_server_token, allowed_hosts={"127.0.0.1", "localhost", host})
    app.run(host=host, port=config.action_server_port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
