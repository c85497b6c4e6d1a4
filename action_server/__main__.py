"""Starts the action server: ``python -m action_server`` (settings from the environment, .env.example)."""

from __future__ import annotations

import logging

from action_server.app import create
from common import logmask
from actions.settings import settings


def main() -> None:
    logmask.install()  # phone numbers never reach a log in full
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = settings()
    host = config.action_server_host
    app = create(config.action_server_token, allowed_hosts={"127.0.0.1", "localhost", host})
    app.run(host=host, port=config.action_server_port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
