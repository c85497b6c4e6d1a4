"""Run-time patches of the installed Rasa Open Source, applied by the launcher before Rasa serves.

A patch replaces one attribute of a Rasa class in memory; nothing installed is edited. Each
patch records what it was written against: the Rasa version, and for the replaced function
(and any library function whose behaviour it reproduces) the qualified name, the signature
and the SHA-256 of the source. `apply` checks them first: a patch whose targets changed is
not applied (Rasa's own code then runs: slower, still correct) and is logged as an error;
`tests/unit/test_rasa_server.py` fails on any mismatch, so that an upgrade of Rasa or
jsonschema makes someone re-read the patch.

Patches:

``action-response-validator``
    Replaces ``rasa.core.actions.action.RemoteAction._validate_action_result``. Rasa checks
    every action-server response with ``jsonschema.validate(result, schema)``, which first
    validates the *schema* against the draft 2020-12 meta-schema (``check_schema``, about
    75 ms on this machine: the meta-schema's ``$dynamicRef`` resolution) and builds a new
    validator, on every custom-action call. The schema is a constant, so the patch checks it
    once and validates with one validator built for it, choosing the reported error as
    ``jsonschema.validate`` does (``best_match`` over ``iter_errors``). An invalid response
    raises the same ``jsonschema.ValidationError`` with the same message suffix.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Text, Tuple

from common.settings import Env

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
ENV_SWITCH = "RASA_SERVER_PATCHES"


def source_sha256(function: Callable) -> str:
    """SHA-256 of a function's source text, as ``inspect.getsource`` reads it."""
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Target:
    """A function a patch replaces or reproduces, as it was when the patch was written."""

    module: str
    qualname: str  # "Class.method" or "function"
    signature: str
    source_sha256: str

    def owner(self) -> Any:
        import importlib

        owner: Any = importlib.import_module(self.module)
        for part in self.qualname.split(".")[:-1]:
            owner = getattr(owner, part)
        return owner

    @property
    def attribute(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    def current(self) -> Any:
        """The attribute as the owner defines it now (the raw function, not a bound method)."""
        owner = self.owner()
        if not inspect.isclass(owner):
            return getattr(owner, self.attribute, None)
        attribute = owner.__dict__.get(self.attribute)
        return attribute.__func__ if isinstance(attribute, (staticmethod, classmethod)) else attribute

    def problems(self, function: Optional[Callable] = None) -> List[str]:
        """What differs between ``function`` (default: the current attribute) and this record."""
        function = self.current() if function is None else function
        where = f"{self.module}.{self.qualname}"
        if not inspect.isfunction(function):
            return [f"{where} is not a plain function any more ({function!r})"]
        problems = []
        if (function.__module__, function.__qualname__) != (self.module, self.qualname):
            problems.append(f"{where} is {function.__module__}.{function.__qualname__}")
        if str(inspect.signature(function)) != self.signature:
            problems.append(f"{where} signature is {inspect.signature(function)}, expected {self.signature}")
        digest = source_sha256(function)
        if digest != self.source_sha256:
            problems.append(f"{where} source changed (sha256 {digest[:12]}…, expected {self.source_sha256[:12]}…)")
        return problems


@dataclass
class Patch:
    """One replacement: ``targets[0]`` is replaced by what ``build()`` returns; the others are relied upon."""

    name: str
    requires: Dict[str, str]  # distribution -> the version the patch was written for
    targets: Tuple[Target, ...]
    build: Callable[[Callable], Callable]  # original function -> replacement
    original: Optional[Callable] = None
    replacement: Optional[Callable] = None

    @property
    def replaced(self) -> Target:
        return self.targets[0]

    def is_applied(self) -> bool:
        return self.replacement is not None and self.replaced.current() is self.replacement

    def problems(self) -> List[str]:
        """Mismatches between the installed libraries and what this patch was written against."""
        problems = []
        for distribution, version in self.requires.items():
            installed = installed_version(distribution)
            if installed != version:
                problems.append(f"{distribution} is {installed}, the patch was written for {version}")
        original = self.original if self.is_applied() else None
        problems += self.replaced.problems(original)
        for target in self.targets[1:]:
            problems += target.problems()
        return problems

    def apply(self) -> bool:
        """Install the replacement unless a target changed; True when it is installed."""
        if self.is_applied():
            return True
        problems = self.problems()
        if problems:
            logger.error("rasa_server: patch %s NOT applied (Rasa's own code runs): %s", self.name, "; ".join(problems))
            return False
        self.original = self.replaced.current()
        self.replacement = self.build(self.original)
        setattr(self.replaced.owner(), self.replaced.attribute, self.replacement)
        return True

    def remove(self) -> None:
        """Put Rasa's function back (tests compare both)."""
        if self.is_applied():
            setattr(self.replaced.owner(), self.replaced.attribute, self.original)
        self.replacement = None


def installed_version(distribution: str) -> Optional[str]:
    """The version of an installed distribution (``rasa``: ``rasa.__version__``, which tests can fake)."""
    if distribution == "rasa":
        import rasa

        return rasa.__version__
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


# --- action-response-validator ---------------------------------------------------------------------


def build_action_response_validator(original: Callable) -> Callable:
    """``RemoteAction._validate_action_result`` with one validator, built and schema-checked here."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    spec = RemoteAction.__dict__["action_response_format_spec"].__func__
    schema = spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate did on every call
    validator = validator_class(schema)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        if type(self).action_response_format_spec is not spec:
            return original(self, result)  # a subclass with its own schema: Rasa's way
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        if not isinstance(error, ValidationError):  # pragma: no cover - best_match yields ValidationErrors
            raise error
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result.__qualname__ = "RemoteAction._validate_action_result"
    _validate_action_result.__doc__ = (
        "Validates an action-server response (rasa_server.patches: validator built once for the schema)."
    )
    _validate_action_result.__wrapped__ = original  # type: ignore[attr-defined]
    return _validate_action_result


ACTION_RESPONSE_VALIDATOR = Patch(
    name="action-response-validator",
    requires={"rasa": RASA_VERSION, "jsonschema": "4.17.3"},
    targets=(
        Target(
            module="rasa.core.actions.action",
            qualname="RemoteAction._validate_action_result",
            signature="(self, result: Dict[str, Any]) -> bool",
            source_sha256="f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
        ),
        # Reproduced: how the error is chosen and the schema checked.
        Target(
            module="jsonschema.validators",
            qualname="validate",
            signature="(instance, schema, cls=None, *args, **kwargs)",
            source_sha256="dc1e7e6a0aee8a4e5f3fbf9ace69e843f0ee3732fa4ee270da51f731037b2a74",
        ),
        # Its schema is read once, at apply time: it must stay a constant.
        Target(
            module="rasa.core.actions.action",
            qualname="RemoteAction.action_response_format_spec",
            signature="() -> Dict[str, Any]",
            source_sha256="091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46",
        ),
    ),
    build=build_action_response_validator,
)

PATCHES: Tuple[Patch, ...] = (ACTION_RESPONSE_VALIDATOR,)


def enabled(environ: Optional[Mapping[str, str]] = None) -> bool:
    """``RASA_SERVER_PATCHES`` is ``on`` (default) or ``off`` (the launcher reads it with its other
    settings, rasa_server/settings.py; this reads it alone)."""
    return Env.of(environ).flag(ENV_SWITCH, True)


def apply(patches: Tuple[Patch, ...] = PATCHES) -> List[str]:
    """Apply every patch whose targets are unchanged; returns the names of those applied."""
    return [patch.name for patch in patches if patch.apply()]


def remove(patches: Tuple[Patch, ...] = PATCHES) -> None:
    for patch in patches:
        patch.remove()


def problems(patches: Tuple[Patch, ...] = PATCHES) -> Dict[str, List[str]]:
    """Each patch's mismatches with the installed Rasa (empty lists when all is as recorded)."""
    return {patch.name: patch.problems() for patch in patches}
