"""The fact store: sources, developers, licences, models, aliases, prices, benchmarks, openness, transparency,
dimensions and meta, as schema v1 made them (before import links and the v5 openness index).

Frozen: this DDL never follows later changes to the ORM models; later revisions change the schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _source() -> sa.Column:
    return sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("url", sa.String(500)),
        sa.Column("path", sa.String(300)),
        sa.Column("commit", sa.String(64)),
        sa.Column("data_license", sa.String(100)),
        sa.Column("attribution", sa.Text()),
        sa.Column("retrieved", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date()),
        sa.Column("notes", sa.Text()),
    )
    op.create_table(
        "developers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(100)),
        sa.Column("url", sa.String(500)),
        _source(),
        sa.Column("as_of", sa.Date(), nullable=False),
    )
    op.create_table(
        "licenses",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("spdx_id", sa.String(64)),
        sa.Column("osi_approved", sa.Boolean(), nullable=False),
        sa.Column("commercial_use", sa.String(16), nullable=False),
        sa.Column("user_threshold_mau", sa.Integer()),
        sa.Column("use_policy", sa.Boolean(), nullable=False),
        sa.Column("modification", sa.String(16), nullable=False),
        sa.Column("redistribution", sa.String(16), nullable=False),
        sa.Column("attribution", sa.Text()),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text_url", sa.String(500)),
        _source(),
        sa.Column("as_of", sa.Date(), nullable=False),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("developer_id", sa.String(64), sa.ForeignKey("developers.id"), nullable=False),
        sa.Column("family", sa.String(120)),
        sa.Column("access", sa.String(16), nullable=False),
        sa.Column("license_id", sa.String(64), sa.ForeignKey("licenses.id"), nullable=False),
        _source(),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("release_date", sa.Date()),
        sa.Column("release_source_id", sa.String(64), sa.ForeignKey("sources.id")),
        sa.Column("params_b", sa.Float()),
        sa.Column("params_source_id", sa.String(64), sa.ForeignKey("sources.id")),
        sa.Column("context_window", sa.Integer()),
        sa.Column("context_source_id", sa.String(64), sa.ForeignKey("sources.id")),
    )
    op.create_index("ix_models_developer_id", "models", ["developer_id"])
    op.create_index("ix_models_access", "models", ["access"])
    op.create_index("ix_models_license_id", "models", ["license_id"])
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scheme", sa.String(32), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("model_id", sa.String(120), sa.ForeignKey("models.id"), nullable=False),
        sa.UniqueConstraint("scheme", "name"),
    )
    op.create_index("ix_aliases_model_id", "aliases", ["model_id"])
    op.create_table(
        "prices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.String(120), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("first_party", sa.Boolean(), nullable=False),
        sa.Column("offering", sa.String(300), nullable=False),
        sa.Column("input_usd_per_1m", sa.Float(), nullable=False),
        sa.Column("output_usd_per_1m", sa.Float(), nullable=False),
        sa.Column("cached_input_usd_per_1m", sa.Float()),
        sa.Column("context_window", sa.Integer()),
        sa.Column("as_of", sa.Date(), nullable=False),
        _source(),
        sa.UniqueConstraint("offering", "as_of"),
    )
    op.create_index("ix_prices_model_asof", "prices", ["model_id", "as_of"])
    op.create_table(
        "benchmark_defs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "benchmarks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.String(120), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("benchmark_id", sa.String(64), sa.ForeignKey("benchmark_defs.id"), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("setting", sa.String(120)),
        sa.Column("as_of", sa.Date(), nullable=False),
        _source(),
    )
    op.create_index("ix_benchmarks_model", "benchmarks", ["model_id", "benchmark_id"])
    op.create_index("ix_benchmarks_benchmark_id", "benchmarks", ["benchmark_id"])
    op.create_table(
        "openness",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.String(120), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("scheme", sa.String(32), nullable=False),
        sa.Column("system_name", sa.String(200), nullable=False),
        sa.Column("dimension", sa.String(64), nullable=False),
        sa.Column("grade", sa.String(16)),
        sa.Column("evidence_url", sa.String(500)),
        sa.Column("as_of", sa.Date(), nullable=False),
        _source(),
    )
    op.create_index("ix_openness_model", "openness", ["model_id", "scheme"])
    op.create_table(
        "transparency",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("developer_id", sa.String(64), sa.ForeignKey("developers.id"), nullable=False),
        sa.Column("edition", sa.String(16), nullable=False),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        _source(),
        sa.UniqueConstraint("developer_id", "edition", "domain"),
    )
    op.create_index("ix_transparency_developer_id", "transparency", ["developer_id"])
    op.create_table(
        "dimensions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("group", sa.String(64), nullable=False),
        sa.Column("open_side", sa.Text(), nullable=False),
        sa.Column("closed_side", sa.Text(), nullable=False),
        sa.Column("favours", sa.String(16), nullable=False),
        _source(),
        sa.Column("as_of", sa.Date(), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "meta",
        "dimensions",
        "transparency",
        "openness",
        "benchmarks",
        "benchmark_defs",
        "prices",
        "aliases",
        "models",
        "licenses",
        "developers",
        "sources",
    ):
        op.drop_table(table)
