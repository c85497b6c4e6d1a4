"""The .run/ layout, the ports and the default URLs are common.layout's; the Makefile and .env.example agree."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from common import layout

ROOT = Path(__file__).resolve().parents[2]


def makefile_variables():
    """NAME ?= value and NAME := value of the Makefile, $(OTHER) expanded from the same file."""
    values = {}
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z_]+)\s*(?:\?=|:=)\s*(.*?)\s*$", line)
        if match:
            values[match.group(1)] = match.group(2)

    def expand(text):
        return re.sub(r"\$\(([A-Z_]+)\)",
                      lambda m: expand(values[m.group(1)]) if m.group(1) in values else m.group(0), text)

    return {name: expand(value) for name, value in values.items()}


def env_example():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.lstrip("# ").split("=", 1) for line in lines if re.match(r"^(# )?[A-Z_]+=", line))


ADDRESS_NAMES = [name for address in layout.SERVICES for name in (address.host_var, address.port_var)]


@pytest.mark.parametrize("name", ["RASA_HOST", "RASA_PORT", "ACTION_SERVER_HOST", "ACTION_SERVER_PORT",
                                  "ACTION_SERVER_URL"])
def test_the_makefile_defaults_are_the_layouts(name):
    assert makefile_variables()[name] == layout.defaults()[name]


def test_the_makefile_folders_are_the_layouts():
    make = makefile_variables()
    defaults = layout.defaults()
    assert make["RUN_DIR"] == defaults["RUN_DIR"] and make["RASA_VENV"] == defaults["RASA_VENV"]
    assert make["APP_VENV"] == defaults["APP_VENV"]
    assert make["KB_MODEL_DIR"] == defaults["KB_MODEL_DIR"]
    assert make["KB_MODEL_STAMP"] == f"{defaults['KB_MODEL_DIR']}/fingerprint.txt"
    assert make["KB_FUSION"] == f"{defaults['KB_MODEL_DIR']}/fusion.json"
    assert make["MODEL_STAMP"] == f"{defaults['MODELS_DIR']}/.trained"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(RUN_DIR)/stack.pid" in makefile and defaults["STACK_PID"] == f"{defaults['RUN_DIR']}/stack.pid"
    assert "$(RUN_DIR)/results" in makefile and defaults["RESULTS_DIR"] == f"{defaults['RUN_DIR']}/results"


def test_env_example_gives_the_layouts_addresses_and_urls():
    example = env_example()
    defaults = layout.defaults()
    names = ADDRESS_NAMES + [a.url_var for a in (layout.ACTION_SERVER, layout.BACKOFFICE, layout.WEBAPP)]
    assert {name: example.get(name) for name in names} == {name: defaults[name] for name in names}
    assert example["BACKOFFICE_DATABASE_URL"] == f"sqlite:///{defaults['BACKOFFICE_DB']}"
    assert example["WEBAPP_DATABASE_URL"] == f"sqlite:///{defaults['WEBAPP_DB']}"


def test_the_addresses():
    assert [a.name for a in layout.SERVICES] == ["backoffice", "webapp", "actions", "rasa"]
    assert layout.ACTION_SERVER.url() == "http://127.0.0.1:5055/webhook"
    assert layout.WEBAPP.base(port=9000) == "http://127.0.0.1:9000"
    assert layout.RASA.base("::1") == "http://[::1]:5005"
    assert len({a.port for a in layout.SERVICES}) == len(layout.SERVICES)


def test_a_shell_reads_the_layout():
    run = [sys.executable, "-m", "common.layout"]
    one = subprocess.run([*run, "RASA_PORT", "RUN_DIR"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert (one.returncode, one.stdout) == (0, "5005\n.run\n")
    every = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert "WEBAPP_URL=http://127.0.0.1:8000" in every.stdout.splitlines()
    unknown = subprocess.run([*run, "NOPE"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert unknown.returncode == 2 and "NOPE" in unknown.stderr
