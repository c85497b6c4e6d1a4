"""``python -m webapp.migrations upgrade|current|check|revision -m MESSAGE`` on WEBAPP_DATABASE_URL.

- ``upgrade [REVISION]``: migrate (what ``python -m webapp`` does at start), adopting an older database;
- ``current``: the database's revision, and the newest one;
- ``check``: exit 1 if the models (webapp/schema.py) and the migrations differ;
- ``revision -m MESSAGE``: a new migration drafted from the models' differences with the database
  (autogenerate: read it before committing it).
"""

from __future__ import annotations

import argparse
import sys

from common.private import private_umask


def main(argv=None) -> int:
    private_umask()
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from webapp import migrations
    from webapp.schema import metadata
    from webapp.settings import Settings
    from webkit.db import make_engine

    parser = argparse.ArgumentParser(prog="python -m webapp.migrations", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upgrade")
    up.add_argument("revision", nargs="?", default="head")
    commands.add_parser("current")
    commands.add_parser("check")
    revision = commands.add_parser("revision")
    revision.add_argument("-m", "--message", required=True)
    args = parser.parse_args(argv)

    engine = make_engine(Settings.database_url_from_env())
    try:
        if args.command == "upgrade":
            print(migrations.upgrade(engine, args.revision))
        elif args.command == "current":
            with engine.connect() as connection:
                print(f"{migrations.current(connection) or 'none'} (newest: {migrations.head()})")
        elif args.command == "check":
            migrations.upgrade(engine)
            with engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), metadata())
            for difference in differences:
                print(difference)
            return 1 if differences else 0
        else:
            migrations.upgrade(engine)
            with engine.begin() as connection:
                command.revision(migrations.config(connection), message=args.message, autogenerate=True)
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
