"""The web app's tables: the knowledge base's and the shared accounts' (webkit.accounts.models).

Their schema is made by the migrations (webapp/migrations/), never by create_all: ``metadata()`` is
what the migrations are compared with (``python -m webapp.migrations check``, tests/webapp).
"""

from __future__ import annotations

from sqlalchemy import MetaData

from webkit.orm import Base


def metadata() -> MetaData:
    import knowledge_base.models  # noqa: F401  (their tables on Base.metadata)
    import webkit.accounts.models  # noqa: F401

    return Base.metadata
