"""Files only their owner may read: secrets (``.env``), databases, logs, the ``.run/`` folder.

    private_umask()               umask 077 for this process and what it starts
    private_dir(path)             a folder, created or made 0700
    private_file(path)            a file, created empty or made 0600
    private_sqlite(path)          a SQLite database file and its -wal/-shm/-journal files, 0600
    tighten(folder)               0700 on it and its folders, no group/other access to its files

Standard library only (the Rasa runtime on Python 3.10 and the services on 3.11 use it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Union

PathLike = Union[str, "os.PathLike[str]"]
FILE_MODE = 0o600
DIR_MODE = 0o700
UMASK = 0o077
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def private_umask() -> int:
    """Sets umask 077 (files 0600, folders 0700 from now on, also in child processes); returns the old one."""
    return os.umask(UMASK)


def _chmod(path: Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) != mode:
        os.chmod(path, mode)


def private_dir(path: PathLike) -> Path:
    """``path`` as a folder only its owner can enter: created 0700 (its missing parents too) or chmod'ed."""
    folder = Path(path)
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=DIR_MODE)
        except FileExistsError:  # created meanwhile by another process
            pass
        os.chmod(parent, DIR_MODE)  # mkdir's mode is reduced by the umask: set it exactly
    _chmod(folder, DIR_MODE)
    return folder


def private_file(path: PathLike) -> Path:
    """``path`` as a file only its owner can read and write: created empty 0600, or chmod'ed to 0600.

    Created with O_CREAT and mode 0600 (no moment when it is readable by others); an existing
    file keeps its content. Missing parent folders are created 0700."""
    file = Path(path)
    if not file.parent.exists():
        private_dir(file.parent)
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _chmod(file, FILE_MODE)
    else:
        os.fchmod(descriptor, FILE_MODE)  # the umask may have taken more: exactly 0600
        os.close(descriptor)
    return file


def private_sqlite(path: PathLike) -> Path:
    """A SQLite database file created 0600 before SQLite opens it (SQLite then creates its
    -wal and -shm files with the database's mode); those of an existing database chmod'ed too."""
    database = private_file(path)
    for suffix in SQLITE_SUFFIXES[1:]:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            _chmod(companion, FILE_MODE)
    return database


def _walk(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in dirnames:
            yield base / name
        for name in filenames:
            yield base / name


def tighten(folder: PathLike) -> Path:
    """``folder`` (created if missing) and every folder under it 0700; its files lose every
    group and other permission (a database or log becomes 0600; the owner's bits are kept).

    Symbolic links are not followed (their targets are not ours to change)."""
    root = private_dir(folder)
    for path in _walk(root):
        try:
            if path.is_symlink():
                continue
            if path.is_dir():
                _chmod(path, DIR_MODE)
            else:
                _chmod(path, stat.S_IMODE(path.stat().st_mode) & 0o700)
        except FileNotFoundError:  # removed meanwhile (a -wal file checkpointed away)
            pass
    return root
