"""Starts the Rasa server in this process, as `rasa run` would, with the API token from the environment.

    RASA_AUTH_TOKEN=… .venv-rasa/bin/python -m rasa_server [extra `rasa run` options, e.g. --debug]

The settings (rasa_server/settings.py) are read once, by ``main``, and passed down. The options
are today's `rasa run --enable-api --auth-token … --interface $RASA_HOST --port
$RASA_PORT --model models --endpoints endpoints.yml --credentials credentials.yml`, parsed by
Rasa's own argument parser (so every other option keeps Rasa's default). The token is set on
the parsed arguments, so it never appears in /proc/<pid>/cmdline; ``--auth-token`` on the command
line is refused. Then the steps of ``rasa.__main__.main`` for a command run (logging, TensorFlow
environment, plugin hooks), the patches of `rasa_server.patches` (unless
``RASA_SERVER_PATCHES=off``), and Rasa's `run` command (``rasa.cli.run.run`` ->
``rasa.api.run`` -> ``rasa.core.run.serve_application``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Mapping, Optional, Sequence

from common import layout, logmask
from common.settings import SettingsError
from rasa_server import guards, patches
from rasa_server.patches import Target
from rasa_server.settings import RasaSettings

logger = logging.getLogger("rasa_server")

ROOT = layout.ROOT

# The steps of Rasa's CLI entry point that `serve` repeats: re-read it when this changes.
RASA_MAIN = Target(
    module="rasa.__main__",
    qualname="main",
    signature="() -> None",
    source_sha256="2f38a2b1d86fd94320c40e23b213a5d9e6e0b260d0f0b6ccd96c8fbb8c349f56",
)


class LauncherError(Exception):
    """The environment or the command line does not allow starting the server."""


def rasa_run_argv(settings: RasaSettings, extra: Sequence[str] = ()) -> list:
    """The `rasa run` command line of the assistant, without the token."""
    return [
        "run", "--enable-api",
        "--interface", settings.host,
        "--port", str(settings.port),
        "--model", str(settings.model),  # a model file, or the folder of the newest
        "--endpoints", str(settings.endpoints),
        "--credentials", str(settings.credentials),
        *extra,
    ]


def build_arguments(settings: RasaSettings, extra: Sequence[str] = ()) -> argparse.Namespace:
    """Rasa's parsed `run` arguments, the token taken from the settings (``RASA_AUTH_TOKEN``)."""
    if not settings.auth_token:
        raise LauncherError("RASA_AUTH_TOKEN is not set: the HTTP API needs a token (make creates it in .env).")
    from rasa.__main__ import create_argument_parser

    args = create_argument_parser().parse_args(rasa_run_argv(settings, extra))
    if args.auth_token is not None:  # also catches argparse's abbreviations (--auth, --auth-t…)
        raise LauncherError("the token is read from RASA_AUTH_TOKEN, not from the command line "
                            "(anyone can read a process's command line)")
    args.auth_token = settings.auth_token
    return args


def serve(args: argparse.Namespace, with_patches: bool = True) -> None:
    """What ``rasa.__main__.main`` does once the arguments are parsed, with the patches applied first."""
    import rasa.telemetry
    import rasa.utils.io
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.plugin import plugin_manager
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    log_level = getattr(args, "loglevel", None)
    logging_config_file = getattr(args, "logging_config_file", None)
    configure_logging_and_warnings(log_level, logging_config_file, warn_only_once=True, filter_repeated_logs=True)
    tf_env.setup_tf_environment()
    tf_env.check_deterministic_ops()
    sys.path.insert(1, os.getcwd())  # custom components, as `rasa` does
    rasa.utils.io.configure_colored_logging(log_level)

    mirrored = RASA_MAIN.problems()
    if mirrored:
        logger.warning("rasa_server: rasa.__main__.main changed since the launcher was written: %s",
                       "; ".join(mirrored))
    guard = guards.http_guards({"127.0.0.1", "localhost", getattr(args, "interface", None) or "127.0.0.1"})
    if not guard.apply():
        raise LauncherError("the HTTP guards of rasa_server.guards do not fit this Rasa: refusing to serve without them")
    if with_patches:
        applied = patches.apply()
        logger.info("rasa_server: patches applied: %s", ", ".join(applied) or "none")
    else:
        logger.info("rasa_server: patches disabled (%s=off)", patches.ENV_SWITCH)

    result = plugin_manager().hook.configure_commandline(cmdline_arguments=args)
    endpoints_file = result[0] if result else None
    rasa.telemetry.initialize_telemetry()
    rasa.telemetry.initialize_error_reporting()
    plugin_manager().hook.init_telemetry(endpoints_file=endpoints_file)
    plugin_manager().hook.init_managers(endpoints_file=endpoints_file)
    plugin_manager().hook.init_anonymization_pipeline(endpoints_file=endpoints_file)
    configure_structlog(log_level)
    args.func(args)


def main(argv: Optional[Sequence[str]] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    """Reads the settings of ``environ`` (``os.environ`` by default) once, then serves."""
    logmask.install()  # phone numbers never reach a log in full (Rasa logs messages at debug level)
    try:
        settings = RasaSettings.from_env(environ)
        args = build_arguments(settings, sys.argv[1:] if argv is None else argv)
        with_patches = settings.patches
    except (LauncherError, SettingsError, ValueError) as error:
        print(f"rasa_server: {error}", file=sys.stderr)
        return 2
    from rasa.shared.exceptions import RasaException
    from rasa.shared.utils.cli import print_error

    try:
        serve(args, with_patches)
    except LauncherError as error:
        print(f"rasa_server: {error}", file=sys.stderr)
        return 2
    except RasaException as error:  # as rasa.__main__.main: expected errors without a stack trace
        logger.debug("Failed to run the Rasa server due to an exception.", exc_info=error)
        print_error(f"{error.__class__.__name__}: {error}")
        return 1
    return 0
