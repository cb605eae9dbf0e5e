"""Database schema (Alembic) and the service repository, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from data_access.db import current_revision, downgrade, head_revision, migrate
from data_access.repositories import ServiceRepository

NEWPIP = {
    "name": "NEWPIP (Newcastle Parent Infant Partnership)",
    "provider": "Children North East",
    "service_type": "specialised parent-infant relationship team",
    "tier": "specialist",
    "postcode": "NE1 1AD",
    "catchment_level": "lad",
    "catchment_codes": "E08000021",
    "capacity_families": 120,
    "annual_cost_gbp": Decimal("250000.50"),
    "funding_end": dt.date(2027, 3, 31),
    "source": "Parent-Infant Foundation",
    "as_of": dt.date(2021, 1, 1),
    "status": "public",
}


def test_migrations_create_the_schema(engine):
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert {"services", "alembic_version"} <= set(inspect(engine).get_table_names())
    migrate(engine)  # idempotent
    downgrade(engine, "base")
    assert "services" not in inspect(engine).get_table_names()


def test_service_round_trip(engine):
    migrate(engine)
    repo = ServiceRepository(engine)
    sid = repo.add(NEWPIP)
    row = repo.get(sid)
    for key, value in NEWPIP.items():
        assert row[key] == value, key
    assert row["created_at"] is not None and row["updated_at"] is None
    assert repo.update(sid, {"capacity_families": 150})
    assert repo.get(sid)["capacity_families"] == 150 and repo.get(sid)["updated_at"] is not None
    listed = repo.list()
    assert list(listed["name"]) == [NEWPIP["name"]]
    assert repo.delete(sid) and repo.get(sid) is None and not repo.delete(sid)


def test_revision_changes_with_every_write_and_only_then(engine):
    """The register's revision (what names its contents in the pages' caches) changes on an insert,
    an edit and a delete, also a delete of the newest row followed by an insert that may reuse its id."""
    migrate(engine)
    repo = ServiceRepository(engine)
    seen = [repo.revision()]
    first = repo.add(NEWPIP)
    seen.append(repo.revision())
    assert repo.revision() == seen[-1]  # nothing written: the same
    second = repo.add(dict(NEWPIP, name="Second"))
    seen.append(repo.revision())
    repo.update(first, {"capacity_families": 150})
    seen.append(repo.revision())
    repo.delete(second)
    seen.append(repo.revision())
    repo.add(dict(NEWPIP, name="Third"))
    seen.append(repo.revision())
    assert len(set(seen)) == len(seen), seen


def test_add_many_is_all_or_nothing(engine):
    migrate(engine)
    repo = ServiceRepository(engine)
    bad = dict(NEWPIP, name=None)  # name is required
    with pytest.raises(IntegrityError):
        repo.add_many([NEWPIP, NEWPIP, bad])
    assert len(repo.list()) == 0
    assert len(repo.add_many([NEWPIP, dict(NEWPIP, name="Second")])) == 2 and len(repo.list()) == 2


def test_unknown_field_is_refused(engine):
    migrate(engine)
    with pytest.raises(ValueError, match="colour"):
        ServiceRepository(engine).add(dict(NEWPIP, colour="blue"))


def test_default_database_is_created_on_first_run(tmp_path, monkeypatch):
    from data_access import db

    url = f"sqlite:///{tmp_path / 'first.db'}"
    engine = db.ready_engine(url)
    assert current_revision(engine) == head_revision()
    assert (tmp_path / "first.db").exists()
