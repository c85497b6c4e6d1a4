"""Accounts an admin can disable: ``users.disabled`` (webkit.accounts).

Revision ID: 0002_users_disabled
Revises: 0001_baseline
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_users_disabled"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A development database made by the branch's create_all, just before migrations, has it already.
    if "disabled" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}:
        return
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled")
