"""``python -m webapp.users create NAME --role staff`` (``make user NAME=… ROLE=staff``): the users of the web
app's database (WEBAPP_DATABASE_URL), where the shared accounts live (webkit.accounts). See
webkit/accounts/cli.py for the commands; a password is read from the terminal or stdin, never an argument.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from common.private import private_umask


def main(argv: Optional[List[str]] = None) -> int:
    private_umask()  # a database this creates is readable by us only
    from sqlalchemy.orm import sessionmaker

    from webapp import migrations
    from webapp.settings import Settings
    from webkit.accounts import cli
    from webkit.db import make_engine

    engine = make_engine(Settings.database_url_from_env())
    try:
        migrations.upgrade(engine)  # a new database gets the web app's tables, an older one its migrations
        return cli.run(argv, sessionmaker(engine, expire_on_commit=False), prog="webapp.users")
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
