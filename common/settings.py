"""One way to configure every service: a frozen dataclass of typed fields, read once from an environ mapping.

Each service of the assistant (web app, back office, action server, Rasa launcher, the gateway to
come) has one settings class, built once when the service starts and passed down from there; no
other module reads the environment. The pattern::

    from dataclasses import dataclass
    from typing import Mapping, Optional

    from common import layout
    from common.settings import Env

    @dataclass(frozen=True)
    class GatewaySettings:
        token: str
        host: str = layout.LOOPBACK
        port: int = 8200
        rasa_url: str = layout.RASA.url()

        @classmethod
        def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "GatewaySettings":
            env = Env.of(environ)                      # os.environ when None: the only place it is read
            return cls(
                token=env.secret("GATEWAY_TOKEN", required=True, hint="`make` generates one in .env"),
                host=env.text("GATEWAY_HOST", cls.host),
                port=env.port("GATEWAY_PORT", cls.port),
                rasa_url=env.url("RASA_URL", cls.rasa_url),
            )

A variable that is missing or empty (spaces only) takes the default. A value that cannot be read
raises :class:`SettingsError` naming the variable, what it expects and (secrets aside) what it got,
so a service refuses to start with a clear message (its ``__main__`` prints it and exits 2).

Readers of :class:`Env` (each ``name, default``, keyword-only options after):

    text      a string, stripped                      choice   one of a closed set of strings
    integer   an int (minimum / maximum)              number   a float (minimum / maximum / positive)
    port      an int 1-65535                          flag     true/false, 1/0, yes/no, on/off
    url       http(s)://host[:port][/path]            path     a Path (relative: to the repository)
    names     comma-separated names, as a tuple       secret   a credential, required or optional, never echoed
    clock     ASSISTANT_TODAY as a common.clock.Clock retired  refuses a variable that was replaced

``Env.read`` is every variable name asked for, in order (a test checks each is documented in
.env.example). Standard library only: the Rasa runtime (Python 3.10) and the services (3.11) import it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar
from urllib.parse import urlsplit

from common import clock as _clock

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


class SettingsError(ValueError):
    """A missing or invalid setting; the message names the variable and says what it expects."""


def process_environ() -> Mapping[str, str]:
    """The process's environment: what a service's ``from_env()`` reads when given no mapping."""
    return os.environ


class Env:
    """Typed readers over an environ mapping (``os.environ`` or a test's dictionary)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.read: List[str] = []

    @classmethod
    def of(cls, environ: Optional[Mapping[str, str]] = None) -> "Env":
        return cls(process_environ() if environ is None else environ)

    # --- the raw value ------------------------------------------------------------------------

    def raw(self, name: str) -> str:
        """The value as set ('' when missing); every reader goes through here."""
        if name not in self.read:
            self.read.append(name)
        value = self.environ.get(name)
        return "" if value is None else str(value)

    def given(self, name: str) -> bool:
        """Whether ``name`` is set to something other than spaces."""
        return bool(self.raw(name).strip())

    def _parsed(self, name: str, default: T, parse: Callable[[str], T], expected: str) -> T:
        text = self.raw(name).strip()
        if not text:
            return default
        try:
            return parse(text)
        except (TypeError, ValueError):
            raise SettingsError(f"{name} must be {expected}, not {text!r}") from None

    # --- readers ------------------------------------------------------------------------------

    def text(self, name: str, default: str = "") -> str:
        return self.raw(name).strip() or default

    def choice(self, name: str, default: str, choices: Sequence[str]) -> str:
        value = self.text(name, default)
        if value not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def integer(self, name: str, default: int, *, minimum: Optional[int] = None,
                maximum: Optional[int] = None) -> int:
        value = self._parsed(name, default, _integer, "a whole number")
        return _in_range(name, value, minimum, maximum)

    def number(self, name: str, default: float, *, minimum: Optional[float] = None,
               maximum: Optional[float] = None, positive: bool = False) -> float:
        value = self._parsed(name, default, _number, "a number")
        if positive and not value > 0:
            raise SettingsError(f"{name} must be a positive number, not {value!r}")
        return _in_range(name, value, minimum, maximum)

    def port(self, name: str, default: int) -> int:
        value = self._parsed(name, default, _integer, "a port number (1-65535)")
        if not 0 < value < 65536:
            raise SettingsError(f"{name} must be a port number (1-65535), not {value!r}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        text = self.raw(name).strip().lower()
        if not text:
            return default
        if text in TRUE or text in FALSE:
            return text in TRUE
        raise SettingsError(f"{name} must be true or false (1/0, yes/no, on/off), not {text!r}")

    def url(self, name: str, default: str, schemes: Sequence[str] = ("http", "https")) -> str:
        value = self.text(name, default)
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in schemes or not parts.hostname:
            raise SettingsError(f"{name} must be a URL such as {schemes[0]}://127.0.0.1:8000, not {value!r}")
        return value

    def path(self, name: str, default: Path, base: Path = ROOT) -> Path:
        """A file or folder; a relative value is taken from ``base`` (the repository), not the current folder."""
        text = self.text(name)
        if not text:
            return Path(default)
        path = Path(text).expanduser()
        return path if path.is_absolute() else base / path

    def names(self, name: str) -> Tuple[str, ...]:
        """``a, b ,c`` -> ``("a", "b", "c")``; empty items dropped."""
        return tuple(item.strip() for item in self.raw(name).split(",") if item.strip())

    def secret(self, name: str, *, required: bool = False, min_length: int = 0, hint: str = "",
               strip: bool = False) -> str:
        """A credential: '' when missing or spaces only (an error when ``required``); at least
        ``min_length`` characters when given. Messages never contain the value. Kept as set unless
        ``strip`` (the peer that sends it reads the same variable as set)."""
        value = self.raw(name)
        if not value.strip():
            if required:
                raise SettingsError(f"{name} is not set" + (f": {hint}" if hint else ""))
            return ""
        if strip:
            value = value.strip()
        if len(value) < min_length:
            raise SettingsError(f"{name} must have {min_length} characters or more"
                                + (f": {hint}" if hint else ""))
        return value

    def clock(self, name: str = _clock.SETTING) -> _clock.Clock:
        """The assistant's one clock (common.clock): real time, or pinned by an ISO date or datetime."""
        text = self.raw(name).strip()
        if not text:
            return _clock.Clock()
        try:
            return _clock.Clock(_clock.parse_reference(text))
        except _clock.ClockError as error:
            raise SettingsError(f"{name}: {error}") from None

    def retired(self, name: str, replacement: str) -> None:
        """Refuses ``name`` when it is set (a variable that was replaced: set and ignored would mislead)."""
        if name in self.environ:
            raise SettingsError(f"{name} is replaced by {replacement}")


def _integer(text: str) -> int:
    if not text.lstrip("+-").isdigit():
        raise ValueError(text)
    return int(text)


def _number(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _in_range(name: str, value, minimum, maximum):
    if minimum is not None and value < minimum:
        raise SettingsError(f"{name} must be {minimum} or more, not {value!r}")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name} must be {maximum} or less, not {value!r}")
    return value


def undocumented(names: Iterable[str], example: Path = ROOT / ".env.example") -> List[str]:
    """The ``names`` that .env.example does not mention (as ``NAME=`` or ``# NAME=``)."""
    text = example.read_text(encoding="utf-8")
    lines = {line.lstrip("# ").split("=", 1)[0] for line in text.splitlines() if "=" in line}
    return [name for name in names if name not in lines]
