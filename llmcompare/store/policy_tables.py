"""Schema v6: the provider-policy and model-fact tables.

New databases get them from models.py through create_all in v1 (they are seed tables); this migration adds them to
older ones. Creating a table that exists is skipped, so the step is idempotent.
"""

from __future__ import annotations

from sqlalchemy import Connection

from llmcompare.store import models as m

NEW_TABLES = (m.ProviderPolicy, m.ModelFact)


def migrate_v6_policy_facts(conn: Connection) -> None:
    """Schema v6: provider_policies (data handling and service terms per API provider) and model_facts."""
    m.Base.metadata.create_all(conn, tables=[t.__table__ for t in NEW_TABLES], checkfirst=True)
