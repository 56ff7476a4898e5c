"""Typed SQLAlchemy models of the fact store. Every fact row points at a Source and carries an as-of date.

Rows that a reviewed import added carry its id in import_id (see store/imports.py); seed rows leave it empty.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, desc
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

OPEN_WEIGHTS = "open_weights"
API_ONLY = "api_only"
ACCESS_TYPES = (OPEN_WEIGHTS, API_ONLY)
GRADES = ("open", "partial", "closed")
IMPORT_LINK = "import_id"


class Base(DeclarativeBase):
    pass


class Source(Base):
    """Where facts come from: a public file at a commit, a document or an article."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))  # articles known only by title and author have none
    path: Mapped[str | None] = mapped_column(String(300))
    commit: Mapped[str | None] = mapped_column(String(200))  # a git commit, or a package version and its hash
    data_license: Mapped[str | None] = mapped_column(String(100))
    attribution: Mapped[str | None] = mapped_column(Text)
    retrieved: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date | None] = mapped_column(Date)  # the date the source's facts describe
    notes: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Developer(Base):
    """An organisation that builds models; FMTI scores attach here."""

    __tablename__ = "developers"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    as_of: Mapped[date] = mapped_column(Date)


class License(Base):
    """A licence as structured terms, so that the advisor can reason about it."""

    __tablename__ = "licenses"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(
        String(32)
    )  # permissive | copyleft | open-weights-custom | non-commercial | proprietary
    spdx_id: Mapped[str | None] = mapped_column(String(64))
    osi_approved: Mapped[bool] = mapped_column()
    commercial_use: Mapped[str] = mapped_column(String(16))  # yes | conditional | no
    user_threshold_mau: Mapped[int | None] = mapped_column(Integer)
    use_policy: Mapped[bool] = mapped_column()
    modification: Mapped[str] = mapped_column(String(16))  # yes | conditional | no
    redistribution: Mapped[str] = mapped_column(String(16))  # yes | conditional | no
    attribution: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    text_url: Mapped[str | None] = mapped_column(String(500))
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    as_of: Mapped[date] = mapped_column(Date)


class Model(Base):
    """One canonical model. Each attribute that comes from a different place names its own source."""

    __tablename__ = "models"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    developer_id: Mapped[str] = mapped_column(ForeignKey("developers.id"), index=True)
    family: Mapped[str | None] = mapped_column(String(120))
    access: Mapped[str] = mapped_column(String(16), index=True)
    license_id: Mapped[str] = mapped_column(ForeignKey("licenses.id"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    as_of: Mapped[date] = mapped_column(Date)
    release_date: Mapped[date | None] = mapped_column(Date)
    release_source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    params_b: Mapped[float | None] = mapped_column(Float)
    params_source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    context_window: Mapped[int | None] = mapped_column(Integer)
    context_source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)

    developer: Mapped[Developer] = relationship()
    license: Mapped[License] = relationship()


class Alias(Base):
    """A name that one source uses for a canonical model."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("scheme", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    model_id: Mapped[str] = mapped_column(ForeignKey("models.id"), index=True)
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Price(Base):
    """A dated list price of one provider offering. New points are added, old ones are never changed."""

    __tablename__ = "prices"
    __table_args__ = (
        UniqueConstraint("offering", "as_of"),
        Index("ix_prices_model_asof", "model_id", "as_of"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("models.id"))
    provider: Mapped[str] = mapped_column(String(64))
    first_party: Mapped[bool] = mapped_column()  # sold by the model's own developer
    offering: Mapped[str] = mapped_column(String(300))
    input_usd_per_1m: Mapped[float] = mapped_column(Float)
    output_usd_per_1m: Mapped[float] = mapped_column(Float)
    cached_input_usd_per_1m: Mapped[float | None] = mapped_column(Float)
    context_window: Mapped[int | None] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class BenchmarkDef(Base):
    """What a benchmark measures and on what scale."""

    __tablename__ = "benchmark_defs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(32))  # elo | percent
    description: Mapped[str] = mapped_column(Text)


class BenchmarkResult(Base):
    """One score of one model on one benchmark, as published by one source."""

    __tablename__ = "benchmarks"
    __table_args__ = (Index("ix_benchmarks_model", "model_id", "benchmark_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("models.id"))
    benchmark_id: Mapped[str] = mapped_column(ForeignKey("benchmark_defs.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    setting: Mapped[str | None] = mapped_column(String(120))
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class OpennessGrade(Base):
    """An openness judgement (open / partial / closed) of one model on one dimension of one index."""

    __tablename__ = "openness"
    # Newest first within each model, index and dimension, so current_grades() reads it in order without a sort.
    __table_args__ = (Index("ix_openness_current", "model_id", "scheme", "dimension", desc("as_of"), desc("id")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("models.id"))
    scheme: Mapped[str] = mapped_column(String(32))  # eu_osai | ouc
    system_name: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[str] = mapped_column(String(64))
    grade: Mapped[str | None] = mapped_column(String(16))
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class TransparencyScore(Base):
    """A developer's FMTI score for one edition: the total and each domain sub-score."""

    __tablename__ = "transparency"
    __table_args__ = (UniqueConstraint("developer_id", "edition", "domain"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    developer_id: Mapped[str] = mapped_column(ForeignKey("developers.id"), index=True)
    edition: Mapped[str] = mapped_column(String(16))
    domain: Mapped[str] = mapped_column(String(32))  # Total | Upstream | Model | Downstream
    score: Mapped[int] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Dimension(Base):
    """A qualitative trade-off between open and closed models, summarised from an article."""

    __tablename__ = "dimensions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(64))
    open_side: Mapped[str] = mapped_column(Text)
    closed_side: Mapped[str] = mapped_column(Text)
    favours: Mapped[str] = mapped_column(String(16))  # open | closed | depends
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    as_of: Mapped[date] = mapped_column(Date)


class ProviderPolicy(Base):
    """One data-handling or service term of one API provider, as its public pages state it.

    basis 'fact' carries the page (source_id), its date (as_of, empty when the page shows none) and a quote;
    basis 'none' records that the pages searched did not say, so a gap is shown as a gap, never guessed.
    """

    __tablename__ = "provider_policies"
    __table_args__ = (UniqueConstraint("provider", "attribute"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(64), index=True)
    provider_name: Mapped[str] = mapped_column(String(120))
    attribute: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(String(12))  # yes | no | conditional; empty when basis is none
    basis: Mapped[str] = mapped_column(String(8))  # fact | none
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    as_of: Mapped[date | None] = mapped_column(Date)
    quote: Mapped[str | None] = mapped_column(Text)


class ModelFact(Base):
    """A dated, sourced fact about one model that has no column of its own: hosts, deprecation, training cost.

    detail names what the fact is about inside the model when there can be several (an offering's key).
    """

    __tablename__ = "model_facts"
    __table_args__ = (UniqueConstraint("model_id", "attribute", "detail", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("models.id"), index=True)
    attribute: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(String(300))
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))


SEED_DIGEST_KEY = "seed_digest"
FACTS_VERSION_KEY = "facts_version"  # changed by every import and rollback, so cached pages refresh


class Meta(Base):
    """Key/value facts about the database itself, such as the seed it was built from."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Order matters: a table comes after the tables it references.
SEED_TABLES = (
    Source,
    Developer,
    License,
    Model,
    Alias,
    Price,
    BenchmarkDef,
    BenchmarkResult,
    OpennessGrade,
    TransparencyScore,
    Dimension,
    ProviderPolicy,
    ModelFact,
)
