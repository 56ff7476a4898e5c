"""Schema v6: the provider-policy and model-fact tables.

New databases get them from models.py through create_all in v1 (they are seed tables); this migration adds them to
older ones. Creating a table that exists is skipped, so the step is idempotent.
"""

from __future__ import annotations

from sqlalchemy import Connection

from llmcompare.store import models as m

NEW_TABLES = (m.ProviderPolicy, m.ModelFact)
# The attributes of provider_policies: the questions a buyer asks of an API, in the order the matrix shows them.
ATTRIBUTES = {
    "trains_on_api_data": "Trains on API data by default",
    "retention": "Keeps prompts and outputs by default",
    "zero_data_retention": "Zero-data-retention option",
    "data_residency": "Processing region / data residency",
    "uptime_sla": "Uptime SLA",
    "soc2_type2": "SOC 2 Type II",
    "iso27001": "ISO 27001",
    "hipaa_baa": "HIPAA BAA",
    "ip_indemnity": "IP indemnity for outputs",
    "openai_compatible": "OpenAI-compatible API",
    "fine_tuning": "API fine-tuning",
}


def migrate_v6_policy_facts(conn: Connection) -> None:
    """Schema v6: provider_policies (data handling and service terms per API provider) and model_facts."""
    m.Base.metadata.create_all(conn, tables=[t.__table__ for t in NEW_TABLES], checkfirst=True)
