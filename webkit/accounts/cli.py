"""The accounts command of a service: ``create``, ``disable``, ``enable``, ``password``, ``list``.

A password is never an argument (it would be in the shell's history and in /proc/<pid>/cmdline): it
is asked twice on a terminal, or read as the first line of standard input otherwise
(``printf '%s\\n' "$PASSWORD" | make user NAME=lan ROLE=staff``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable, List, Optional, TextIO

from sqlalchemy.orm import sessionmaker

from webkit.accounts import users
from webkit.accounts.models import ROLES, STAFF


class CommandError(Exception):
    pass


def read_password(stdin: TextIO, ask: Callable[[str], str] = getpass.getpass) -> str:
    if stdin.isatty():
        first = ask("Password: ")
        if ask("Password again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    line = stdin.readline()
    if not line:
        raise CommandError("no password on standard input (one line)")
    return line.rstrip("\r\n")


def parser(prog: str) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog=prog, description="Users of the service (admins and staff).")
    commands = top.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a user; the password is read from the terminal or stdin")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, default=STAFF)
    create.add_argument("--display-name", default="")
    for name, text in (("disable", "the user can no longer sign in; its sessions end at once"),
                       ("enable", "the user may sign in again"),
                       ("password", "a new password (read like create's); the user's sessions end")):
        commands.add_parser(name, help=text).add_argument("username")
    commands.add_parser("list", help="the users, their role and whether they are disabled")
    return top


def run(argv: Optional[List[str]], sessions: sessionmaker, prog: str = "accounts",
        stdin: TextIO = sys.stdin, out: TextIO = sys.stdout,
        ask: Callable[[str], str] = getpass.getpass) -> int:
    args = parser(prog).parse_args(argv)
    try:
        with sessions.begin() as session:
            if args.command == "list":
                for user in users.listing(session):
                    state = "disabled" if user.disabled else "active"
                    print(f"{user.username}\t{user.role}\t{state}\t{user.display_name}", file=out)
                return 0
            if args.command == "create":
                user = users.create(session, args.username, read_password(stdin, ask), args.role, args.display_name)
                print(f"created {user.role} {user.username!r}", file=out)
                return 0
            user = users.find(session, args.username)
            if user is None:
                raise CommandError(f"no user {args.username!r}")
            if args.command == "password":
                users.set_password(session, user, read_password(stdin, ask))
                print(f"new password for {user.username!r}; its sessions have ended", file=out)
            else:
                users.set_disabled(session, user, args.command == "disable")
                print(f"{user.username!r} {'disabled: its sessions have ended' if user.disabled else 'enabled'}",
                      file=out)
            return 0
    except (CommandError, users.AccountError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 1
