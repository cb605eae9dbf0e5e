"""SQLAlchemy engine, schema and Alembic migrations.

The database holds what users create (service registers, scenarios, workshop ratings); the
reference geography lives in the store (:mod:`data_access.store`). ``PAIR_ATLAS_DATABASE_URL``
picks the database: by default a SQLite file in the gitignored ``var/`` folder; a deployment
for many users points it at PostgreSQL (``postgresql+psycopg://user@host:5432/dbname``).
The schema is managed by Alembic (``data_access/migrations``) and created on first run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
)
from sqlalchemy.engine import Engine

from data_access.config import database_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = MetaData()

#: The PAIR service register (issue 4). Status says where a row comes from:
#: ``public`` (publicly documented, with source and date), ``local`` (the commissioner's own
#: data) or ``illustrative`` (seeded demo data, labelled as such everywhere).
services = Table(
    "services",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("provider", String(200)),
    Column("service_type", String(60), nullable=False),
    Column("tier", String(20), nullable=False),
    Column("tier_reason", Text),
    Column("postcode", String(10)),
    Column("lat", Float),
    Column("lon", Float),
    Column("catchment_level", String(10)),
    Column("catchment_codes", Text),
    Column("travel_km", Float),
    Column("age_min_months", Integer),
    Column("age_max_months", Integer),
    Column("capacity_families", Integer),
    Column("annual_cost_gbp", Numeric(14, 2)),
    Column("commissioner", String(200)),
    Column("funding_end", Date),
    Column("source", Text),
    Column("as_of", Date),
    Column("status", String(20), nullable=False),
    Column("clinic_model", String(20)),
    Column("venue", String(40)),
    Column("session_format", String(200)),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("updated_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),  # +1 at every edit: a stale edit is refused
)

#: Small application settings, e.g. ``starter_register_seeded``.
settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

#: Saved aggregated clinic audits: counts by clinic, LSOA and month (no patient-level rows).
audit_counts = Table(
    "audit_counts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_name", String(200), nullable=False, index=True),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("clinic", String(200), nullable=False),
    Column("lsoa_code", String(9), nullable=False),
    Column("month", String(7), nullable=False),
    Column("infants", Integer, nullable=False),
    Column("attendances", Integer, nullable=False),
)

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("area_code", String(9), nullable=False),
    Column("area_name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("barrier_id", String(20), nullable=False),
    Column("participant", String(60)),
    Column("applies", Integer),  # None: left unrated (not counted)
    Column("changeable", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("applies BETWEEN 1 AND 5", name="ck_ratings_applies"),
    CheckConstraint("changeable BETWEEN 1 AND 5", name="ck_ratings_changeable"),
)

#: Local additions (kind "new": a local barrier or a families' finding) and local changes to a
#: shipped barrier's suggested mapping (kind "mapping"), kept apart from the shipped content.
local_barriers = Table(
    "local_barriers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),
    Column("barrier_id", String(20), nullable=False),
    Column("area_code", String(9)),
    Column("title", String(200), nullable=False),
    Column("description", Text),
    Column("level", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("behaviour", String(20), nullable=False),
    Column("com_b", Text, nullable=False),
    Column("tdf", Text),
    Column("actions", Text),
    Column("source", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finding_tag", String(20)),  # families' findings: uptake or continued use
)

#: The improvement cycle of a region: one row per step (audit, discussions, observations, co-design).
improvement_steps = Table(
    "improvement_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(10), nullable=False),
    Column("step", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("started", Date),
    Column("completed", Date),
    Column("found", Text),
    Column("changed", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("region", "step", name="uq_improvement_step"),
)

#: APEASE ratings (Affordability, Practicability, Effectiveness, Acceptability, Side-effects/safety,
#: Equity) of a barrier's candidate intervention functions in a region; ``kept``: the group keeps it.
APEASE_CRITERIA = ("affordability", "practicability", "effectiveness", "acceptability", "side_effects", "equity")
apease_ratings = Table(
    "apease_ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(10), nullable=False),
    Column("barrier_id", String(20), nullable=False),
    Column("function", String(40), nullable=False),
    *[Column(c, String(10)) for c in APEASE_CRITERIA],
    Column("note", Text),
    Column("kept", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("region", "barrier_id", "function", name="uq_apease"),
)

#: A region's action plan: an action for a barrier through a kept intervention function, with an
#: owner (a role), a due date and a status; ``version`` counts its changes, each kept in
#: ``action_history`` (what changed, as JSON of before and after).
actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(10), nullable=False, index=True),
    Column("barrier_id", String(20), nullable=False),
    Column("function", String(40), nullable=False),
    Column("action", Text, nullable=False),
    Column("owner", String(120), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
action_history = Table(
    "action_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("change", Text, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

#: Saved value-for-money scenarios: the model's inputs as JSON, for one area.
scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("area_code", String(9), nullable=False),
    Column("inputs", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("owner", String(254)),  # who saved it (a viewer may change only their own)
)

#: Every write, append-only: who, when, what (table and record), before and after (JSON).
audit_trail = Table(
    "audit_trail",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("who", String(254), nullable=False),
    Column("action", String(10), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("record", String(200), nullable=False),
    Column("before", Text),
    Column("after", Text),
)

#: Signed-in users' roles (see data_access/access.py), keyed by e-mail in lower case.
users = Table(
    "users",
    metadata,
    Column("email", String(254), primary_key=True),
    Column("role", String(10), nullable=False),
    Column("regions", String(40)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: What a service achieved in a period (issue 14): counts of families, entered or uploaded by
#: the commissioner, shown beside the model's assumptions (suppressed like every count of people).
observed_outcomes = Table(
    "observed_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service", String(200), nullable=False),
    Column("region", String(10), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("referrals", Integer, nullable=False),
    Column("families_seen", Integer, nullable=False),
    Column("completions", Integer, nullable=False),
    Column("measure", String(200)),
    Column("measure_scale", String(200)),
    Column("measured", Integer),
    Column("improved", Integer),
    Column("source", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("service", "region", "period_start", "period_end", name="uq_observed_period"),
)


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL for the process (engines pool connections and are thread-safe); the
    default URL is read now, so a changed ``PAIR_ATLAS_DATABASE_URL`` gets its own engine."""
    return _engine_for(url or database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creating it on a new database)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (``base`` removes it)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def ready_engine(url: str | None = None) -> Engine:
    """The engine, with its schema migrated to the latest revision."""
    engine = get_engine(url)
    if current_revision(engine) != head_revision():
        migrate(engine)
    return engine
