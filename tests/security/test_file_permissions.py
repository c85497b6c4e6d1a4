"""Secrets and data are readable by their owner only: ``.env`` and every SQLite database 0600,
``.run/`` 0700, created so by the real code paths (scripts/init_env.sh, webkit.db.make_engine
used by the back office and the web app, scripts/stack.py, ``python -m backoffice``), and fixed
when an older version left them readable by others."""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "backoffice"))
from backoffice_harness import free_port, service_env  # noqa: E402

from common.private import private_dir, private_file, private_sqlite, tighten  # noqa: E402
from webkit.db import make_engine  # noqa: E402


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def lax_umask() -> Iterator[None]:
    """The usual umask 022 around each test: the modes must not depend on the caller's umask."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# --- .env ---------------------------------------------------------------------------------------


def _init_env(tmp_path: Path) -> subprocess.CompletedProcess:
    (tmp_path / "scripts").mkdir(exist_ok=True)
    shutil.copy(ROOT / "scripts" / "init_env.sh", tmp_path / "scripts" / "init_env.sh")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    return subprocess.run(["bash", str(tmp_path / "scripts" / "init_env.sh")], capture_output=True, text=True,
                          timeout=60, preexec_fn=lambda: os.umask(0o022))


def test_init_env_creates_env_0600(tmp_path):
    result = _init_env(tmp_path)
    assert result.returncode == 0, result.stderr
    env = tmp_path / ".env"
    assert mode(env) == 0o600
    assert "BACKOFFICE_API_KEY=" in env.read_text() and "BACKOFFICE_API_KEY=\n" not in env.read_text()


def test_init_env_fixes_a_readable_env(tmp_path):
    env = tmp_path / ".env"
    env.write_text("RASA_AUTH_TOKEN=kept\n")
    env.chmod(0o644)
    result = _init_env(tmp_path)
    assert result.returncode == 0, result.stderr
    assert mode(env) == 0o600 and "RASA_AUTH_TOKEN=kept\n" in env.read_text()


# --- SQLite databases ----------------------------------------------------------------------------


def test_a_new_sqlite_database_and_its_journal_are_0600(tmp_path):
    database = tmp_path / "new-folder" / "app.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:  # WAL mode: -wal and -shm exist while connected
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as connection:
            connection.execute(text("SELECT * FROM t")).all()
            companions = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]
            assert all(path.exists() for path in companions)
            assert [mode(path) for path in companions] == [0o600, 0o600]
    finally:
        engine.dispose()
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700  # a folder it had to create


def test_an_existing_readable_database_is_fixed_on_start(tmp_path):
    database = tmp_path / "old.db"
    for path in (database, tmp_path / "old.db-wal", tmp_path / "old.db-shm"):
        path.write_bytes(b"")
        path.chmod(0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert [mode(p) for p in (database, tmp_path / "old.db-wal", tmp_path / "old.db-shm")] == [0o600] * 3


def test_the_web_app_creates_its_database_with_the_same_engine():
    # webapp/app.py opens WEBAPP_DATABASE_URL through webkit.db.make_engine (tested above);
    # starting the web app here would load its embedding model.
    tree = ast.parse((ROOT / "webapp" / "app.py").read_text())
    imports = {(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               for alias in node.names}
    assert ("webkit.db", "make_engine") in imports
    assert "create_engine" not in (ROOT / "webapp" / "app.py").read_text()


def test_private_helpers(tmp_path):
    folder = private_dir(tmp_path / "a" / "b")
    assert mode(folder) == mode(tmp_path / "a") == 0o700
    secret = private_file(folder / "secret")
    assert mode(secret) == 0o600
    secret.write_text("x")
    secret.chmod(0o644)
    assert private_file(secret).read_text() == "x" and mode(secret) == 0o600
    assert mode(private_sqlite(folder / "db.sqlite")) == 0o600


# --- the stack and the back office ------------------------------------------------------------------


def _stack_module():
    spec = importlib.util.spec_from_file_location("stack_under_test", ROOT / "scripts" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_stack_makes_run_and_env_private_on_start(tmp_path):
    run = tmp_path / ".run"
    (run / "logs").mkdir(parents=True)
    (run / "kb-model").mkdir()
    for path in (run / "backoffice.db", run / "webapp.db", run / "logs" / "rasa.log", run / "kb-model" / "m.bin",
                 tmp_path / ".env"):
        path.write_text("x")
        path.chmod(0o644)
    for folder in (run, run / "logs", run / "kb-model"):
        folder.chmod(0o755)
    (run / "tool").write_text("#!/bin/sh\n")
    (run / "tool").chmod(0o755)
    stack = _stack_module()
    old = os.umask(0o022)
    try:
        stack.make_private(tmp_path, log_dir=tmp_path / "stack-logs")
        assert os.umask(0o022) == 0o077  # what the services it starts inherit
    finally:
        os.umask(old)
    assert [mode(p) for p in (run, run / "logs", run / "kb-model", tmp_path / "stack-logs")] == [0o700] * 4
    assert [mode(p) for p in (run / "backoffice.db", run / "webapp.db", run / "logs" / "rasa.log",
                              run / "kb-model" / "m.bin", tmp_path / ".env")] == [0o600] * 5
    assert mode(run / "tool") == 0o700  # the owner's bits are kept


def test_the_stack_creates_run_0700(tmp_path):
    stack = _stack_module()
    old = os.umask(0o022)
    try:
        stack.make_private(tmp_path, log_dir=tmp_path / ".run" / "logs")
    finally:
        os.umask(old)
    assert mode(tmp_path / ".run") == mode(tmp_path / ".run" / "logs") == 0o700


@contextmanager
def backoffice_process(database: Path, log: Path) -> Iterator[tuple]:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "backoffice"], cwd=ROOT, stdout=output,
                                   stderr=subprocess.STDOUT, env=service_env(f"sqlite:///{database}", port),
                                   preexec_fn=lambda: os.umask(0o022))
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_back_office_creates_its_database_0600(tmp_path):
    database = tmp_path / "data" / "backoffice.db"
    with backoffice_process(database, tmp_path / "service.log") as (process, _url):
        umask = next(line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                     if line.startswith("Umask:"))
        assert umask.split()[1] == "0077"  # set by python -m backoffice, whatever it inherited
        files = [path for path in (database, database.with_name(database.name + "-wal"),
                                   database.with_name(database.name + "-shm")) if path.exists()]
        assert database in files and all(mode(path) == 0o600 for path in files), [(p, oct(mode(p))) for p in files]
        assert mode(database.parent) == 0o700


def test_tighten_skips_symlinks(tmp_path):
    outside = tmp_path / "outside"
    outside.write_text("x")
    outside.chmod(0o644)
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "link").symlink_to(outside)
    tighten(tmp_path / "run")
    assert mode(outside) == 0o644
