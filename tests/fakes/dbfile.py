"""Read a database behind the app's back, to compare database states exactly."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine, select


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table in primary-key order, read over a connection of its own (no app pragmas or pool)."""
    plain = create_engine(engine.url)
    try:
        tables = MetaData()
        tables.reflect(plain)
        with plain.connect() as conn:
            return {
                name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for name, t in sorted(tables.tables.items())
            }
    finally:
        plain.dispose()
