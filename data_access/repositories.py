"""Repositories: the only code that reads and writes user data in the database.

Pages and domain code call these methods with plain dicts and get plain dicts or DataFrames
back; no SQL leaves this module.
"""

from __future__ import annotations

import re

from datetime import datetime, timezone
from typing import Callable

import json

import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access.access import LOCAL, Actor, parse_regions

from data_access.db import APEASE_CRITERIA, action_history, actions, apease_ratings, audit_counts, audit_trail, users, improvement_steps, local_barriers, observed_outcomes, ratings, scenarios, services, settings, workshops

SERVICE_FIELDS = [c.name for c in services.columns if c.name not in ("id", "created_at", "updated_at", "version")]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _json(values) -> str | None:
    if values is None:
        return None
    return json.dumps({k: v for k, v in dict(values).items() if k not in ("inputs",)}, default=str, sort_keys=True)


#: a plain address: no spaces, markup, brackets or quotes; a domain with a dot
EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+'-]{0,63}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")


class StaleEdit(Exception):
    """A record changed since the editor opened it; nothing was written."""


class _Guarded:
    """A repository that checks the actor's role on the server side before every write and
    records every write in the append-only audit trail, in the same transaction.
    ``region_of``: the region a record (or an area code) belongs to, for the role check."""

    def __init__(self, engine: Engine, actor: Actor = LOCAL, region_of: Callable | None = None):
        self.engine = engine
        self.actor = actor
        self.region_of = region_of or (lambda _value: None)

    def _log(self, conn, action: str, table, record, before=None, after=None) -> None:
        conn.execute(insert(audit_trail).values(at=_now(), who=self.actor.email, action=action, table_name=table.name,
                                                record=str(record)[:200], before=_json(before), after=_json(after)))



class ServiceRepository(_Guarded):
    """The service register (``services`` table). ``region_of(record)``: the region a service
    serves (from its catchment or location), for the role check."""

    @staticmethod
    def _clean(values: dict) -> dict:
        unknown = set(values) - set(SERVICE_FIELDS)
        if unknown:
            raise ValueError(f"Unknown service field(s): {', '.join(sorted(unknown))}")
        return dict(values)

    def _check(self, record: dict) -> None:
        self.actor.check(self.region_of(record), "change the service register")

    def add(self, values: dict) -> int:
        clean = self._clean(values)
        self._check(clean)
        with self.engine.begin() as conn:
            new_id = int(conn.execute(insert(services).values(**clean).returning(services.c.id)).scalar_one())
            self._log(conn, "insert", services, new_id, None, clean)
            return new_id

    IDENTITY = ("name", "service_type", "postcode", "catchment_codes", "lat", "lon")

    def add_many(self, rows: list[dict]) -> list[int]:
        """Insert all rows in one transaction: all are written or none. A row identical to a
        service already in the register (same name, type, postcode, catchment and location) is
        not added again, so importing the same file twice, or pressing Import twice, adds
        nothing the second time. Returns the ids of the rows added."""
        cleaned = [self._clean(r) for r in rows]
        for clean in cleaned:
            self._check(clean)
        with self.engine.begin() as conn:
            existing = {tuple(str(r[k]) for k in self.IDENTITY) for r in conn.execute(select(*[services.c[k] for k in self.IDENTITY])).mappings()}
            added = []
            for clean in cleaned:
                key = tuple(str(clean.get(k)) for k in self.IDENTITY)
                if key in existing:
                    continue
                existing.add(key)
                new_id = int(conn.execute(insert(services).values(**clean).returning(services.c.id)).scalar_one())
                self._log(conn, "insert", services, new_id, None, clean)
                added.append(new_id)
            return added

    def get(self, service_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(services).where(services.c.id == service_id)).mappings().first()
            return dict(row) if row else None

    def revision(self) -> str:
        """What names the register's present contents, from one small query: the rows' count, the
        highest id, the sum of their versions (each edit adds one) and the latest entry about the
        register in the audit trail (written with every insert, edit and delete, in the same
        transaction; never removed). Any write changes it, also a delete of the newest row and an
        insert that reuses its id; a reader keeps its copy while it is unchanged."""
        c = services.c
        logged = select(func.max(audit_trail.c.id)).where(audit_trail.c.table_name == services.name).scalar_subquery()
        with self.engine.connect() as conn:
            row = conn.execute(select(func.count(), func.max(c.id), func.sum(c.version), logged).select_from(services)).one()
        return "|".join(map(str, row))

    def list(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(services).order_by(services.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in services.columns])

    def update(self, service_id: int, values: dict, version: int | None = None) -> bool:
        """Change a service. ``version``: the one the editor opened; if the service changed
        since, nothing is written and :class:`StaleEdit` says so."""
        clean = self._clean(values)
        before = self.get(service_id)
        if before is None:
            return False
        self._check(before)
        self._check({**before, **clean})
        with self.engine.begin() as conn:
            where = services.c.id == service_id
            if version is not None:
                where = where & (services.c.version == version)
            done = conn.execute(update(services).where(where).values(**clean, updated_at=_now(), version=services.c.version + 1)).rowcount == 1
            if not done and version is not None:
                raise StaleEdit(f"'{before['name']}' was changed by someone else since you opened it: reload it to see their change, then edit again.")
            if done:
                self._log(conn, "update", services, service_id, {k: before.get(k) for k in clean}, clean)
            return done

    def delete(self, service_id: int) -> bool:
        before = self.get(service_id)
        if before is None:
            return False
        self._check(before)
        with self.engine.begin() as conn:
            done = conn.execute(delete(services).where(services.c.id == service_id)).rowcount == 1
            self._log(conn, "delete", services, service_id, before, None)
            return done


class SettingsRepository(_Guarded):
    """Key/value application settings (such as saved column mappings): anyone signed in may set one."""

    def get(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()

    def keys(self, prefix: str) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(settings.c.key).where(settings.c.key.startswith(prefix)).order_by(settings.c.key)).all()
        return [r[0] for r in rows]

    def set(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            before = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()
            conn.execute(delete(settings).where(settings.c.key == key))
            conn.execute(insert(settings).values(key=key, value=value))
            self._log(conn, "update" if before is not None else "insert", settings, key, None if before is None else {"value": before}, {"value": value})


def seed_starter_register(engine: Engine, records: list[dict]) -> int:
    """Insert the starter register once per database, in one transaction (not again after the
    user has deleted rows; the settings key guards against two sessions seeding at once)."""
    try:
        with engine.begin() as conn:
            if conn.execute(select(settings.c.value).where(settings.c.key == "starter_register_seeded")).first():
                return 0
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            conn.execute(insert(settings).values(key="starter_register_seeded", value=stamp))
            for record in records:
                conn.execute(insert(services).values(**ServiceRepository._clean(record)))
            return len(records)
    except IntegrityError:
        return 0  # another session seeded it first


class AuditRepository(_Guarded):
    """Aggregated baby-clinic audits: counts by clinic, LSOA and month, saved under a name."""

    COLUMNS = ["clinic", "lsoa_code", "month", "infants", "attendances"]

    def save(self, name: str, counts: pd.DataFrame, region: str | None = None) -> int:
        """Replace the audit ``name`` with ``counts`` (one transaction); ``region``: whose audit it is."""
        self.actor.check(region, "save a clinic audit")
        stamp = datetime.now(timezone.utc)
        rows = [dict(r, audit_name=name, saved_at=stamp) for r in counts[self.COLUMNS].to_dict("records")]
        for r in rows:
            r["infants"], r["attendances"] = int(r["infants"]), int(r["attendances"])
        with self.engine.begin() as conn:
            conn.execute(delete(audit_counts).where(audit_counts.c.audit_name == name))
            if rows:
                conn.execute(insert(audit_counts), rows)
            self._log(conn, "replace", audit_counts, name, None, {"rows": len(rows), "region": region})
        return len(rows)


class BarrierRepository(_Guarded):
    """Workshops and their ratings, and local barriers / mapping changes. ``region_of(area_code)``:
    the region of an ICB or local authority, for the role check."""

    def open_workshop(self, name: str, area_code: str, area_name: str) -> int:
        self.actor.check(self.region_of(area_code), "open a workshop")
        with self.engine.begin() as conn:
            existing = conn.execute(select(workshops.c.id).where(workshops.c.name == name)).scalar_one_or_none()
            if existing is not None:
                return int(existing)
            new_id = int(conn.execute(
                insert(workshops).values(name=name, area_code=area_code, area_name=area_name, created_at=datetime.now(timezone.utc)).returning(workshops.c.id)
            ).scalar_one())
            self._log(conn, "insert", workshops, new_id, None, {"name": name, "area_code": area_code})
            return new_id

    def workshops(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(workshops).order_by(workshops.c.created_at.desc())).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in workshops.columns])

    def rate(self, workshop_id: int, barrier_id: str, applies: int | None, changeable: int | None, participant: str | None = None) -> int:
        """One participant's rating of one barrier; a question left unrated is ``None`` (not
        counted), and a barrier with neither question rated is not stored."""
        if applies is None and changeable is None:
            raise ValueError("Nothing rated")
        if any(v is not None and not 1 <= v <= 5 for v in (applies, changeable)):
            raise ValueError("Ratings are from 1 to 5")
        with self.engine.connect() as conn:
            area = conn.execute(select(workshops.c.area_code).where(workshops.c.id == workshop_id)).scalar_one_or_none()
        self.actor.check(self.region_of(area), "rate in this workshop")
        values = {"workshop_id": workshop_id, "barrier_id": barrier_id, "applies": applies, "changeable": changeable, "participant": participant or None}
        with self.engine.begin() as conn:
            new_id = int(conn.execute(insert(ratings).values(**values, created_at=datetime.now(timezone.utc)).returning(ratings.c.id)).scalar_one())
            self._log(conn, "insert", ratings, new_id, None, values)
            return new_id

    def ratings(self, workshop_id: int) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ratings).where(ratings.c.workshop_id == workshop_id).order_by(ratings.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in ratings.columns])

    def add_local(self, values: dict) -> int:
        self.actor.check(self.region_of(values.get("area_code")) if values.get("area_code") else None, "add a local barrier")
        with self.engine.begin() as conn:
            new_id = int(conn.execute(insert(local_barriers).values(**values, created_at=datetime.now(timezone.utc)).returning(local_barriers.c.id)).scalar_one())
            self._log(conn, "insert", local_barriers, new_id, None, values)
            return new_id

    def local(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(local_barriers).order_by(local_barriers.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in local_barriers.columns])


class ScenarioRepository(_Guarded):
    """Named value-for-money scenarios (inputs stored as JSON text, returned unchanged). Anyone
    may save a new scenario and change their own; changing someone else's needs the editor
    role for its area's region (``region_of(area_code)``)."""

    def _may_change(self, row: dict | None) -> None:
        if row is not None and row.get("owner") not in (None, self.actor.email):
            self.actor.check(self.region_of(row["area_code"]), f"change the scenario '{row['name']}' saved by someone else")

    def save(self, name: str, area_code: str, inputs_json: str) -> int:
        """Create or overwrite the scenario ``name``."""
        now = datetime.now(timezone.utc)
        before = self.get(name)
        self._may_change(before)
        with self.engine.begin() as conn:
            if before is not None:
                conn.execute(update(scenarios).where(scenarios.c.id == before["id"]).values(area_code=area_code, inputs=inputs_json, updated_at=now))
                self._log(conn, "update", scenarios, name, {"area_code": before["area_code"], "inputs": before["inputs"]}, {"area_code": area_code})
                return int(before["id"])
            new_id = int(conn.execute(insert(scenarios).values(
                name=name, area_code=area_code, inputs=inputs_json, created_at=now, updated_at=now, owner=self.actor.email).returning(scenarios.c.id)).scalar_one())
            self._log(conn, "insert", scenarios, name, None, {"area_code": area_code, "owner": self.actor.email})
            return new_id

    def get(self, name: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(scenarios).where(scenarios.c.name == name)).mappings().first()
            return dict(row) if row else None

    def names(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(scenarios.c.name).order_by(scenarios.c.name))]

    def duplicate(self, name: str, new_name: str) -> int:
        row = self.get(name)
        if row is None:
            raise KeyError(name)
        if self.get(new_name) is not None:
            raise ValueError(f"A scenario called {new_name!r} already exists")
        return self.save(new_name, row["area_code"], row["inputs"])

    def delete(self, name: str) -> bool:
        before = self.get(name)
        if before is None:
            return False
        self._may_change(before)
        with self.engine.begin() as conn:
            done = conn.execute(delete(scenarios).where(scenarios.c.name == name)).rowcount == 1
            self._log(conn, "delete", scenarios, name, {k: before[k] for k in ("area_code", "owner")}, None)
            return done


class ObservedRepository(_Guarded):
    """What services achieved in a period (``observed_outcomes``): one row per service, region
    and period; saving the same period again replaces it (no duplicates from a repeated click)."""

    FIELDS = [c.name for c in observed_outcomes.columns if c.name not in ("id", "created_at")]

    def save(self, record: dict) -> int:
        values = {k: record.get(k) for k in self.FIELDS}
        self.actor.check(values["region"], "enter observed outcomes")
        key = (observed_outcomes.c.service == values["service"]) & (observed_outcomes.c.region == values["region"]) & (
            observed_outcomes.c.period_start == values["period_start"]) & (observed_outcomes.c.period_end == values["period_end"])
        with self.engine.begin() as conn:
            conn.execute(delete(observed_outcomes).where(key))
            new_id = int(conn.execute(insert(observed_outcomes).values(**values, created_at=datetime.now(timezone.utc))
                                      .returning(observed_outcomes.c.id)).scalar_one())
            self._log(conn, "replace", observed_outcomes, new_id, None, values)
            return new_id

    def list(self, region: str) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(observed_outcomes).where(observed_outcomes.c.region == region)
                                .order_by(observed_outcomes.c.service, observed_outcomes.c.period_start)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in observed_outcomes.columns])


class ImprovementRepository(_Guarded):
    """The improvement cycle of each region: one row per step, replaced when saved again."""

    def save(self, record: dict) -> int:
        values = {k: record.get(k) for k in ("region", "step", "status", "started", "completed", "found", "changed")}
        self.actor.check(values["region"], "record the improvement cycle")
        with self.engine.begin() as conn:
            conn.execute(delete(improvement_steps).where((improvement_steps.c.region == values["region"]) & (improvement_steps.c.step == values["step"])))
            new_id = int(conn.execute(insert(improvement_steps).values(**values, updated_at=datetime.now(timezone.utc))
                                      .returning(improvement_steps.c.id)).scalar_one())
            self._log(conn, "replace", improvement_steps, new_id, None, values)
            return new_id

    def list(self, region: str) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(improvement_steps).where(improvement_steps.c.region == region)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in improvement_steps.columns])


class ActionRepository(_Guarded):
    """From a prioritised barrier to actions, per region: APEASE ratings of its candidate
    intervention functions (one row per region, barrier and function, replaced when rated
    again) and the action plan, whose every change is kept in ``action_history``."""

    def rate_function(self, region: str, barrier_id: str, function: str, answers: dict, note: str | None, kept: bool) -> int:
        values = {c: answers.get(c) for c in APEASE_CRITERIA}
        self.actor.check(region, "rate intervention functions")
        with self.engine.begin() as conn:
            conn.execute(delete(apease_ratings).where((apease_ratings.c.region == region) & (apease_ratings.c.barrier_id == barrier_id)
                                                      & (apease_ratings.c.function == function)))
            new_id = int(conn.execute(insert(apease_ratings).values(region=region, barrier_id=barrier_id, function=function, **values,
                                                                    note=note or None, kept=bool(kept), updated_at=datetime.now(timezone.utc))
                                      .returning(apease_ratings.c.id)).scalar_one())
            self._log(conn, "replace", apease_ratings, new_id, None, {"region": region, "barrier_id": barrier_id, "function": function,
                                                                       **values, "note": note, "kept": kept})
            return new_id

    def apease(self, region: str) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(apease_ratings).where(apease_ratings.c.region == region).order_by(apease_ratings.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in apease_ratings.columns])

    def add(self, values: dict) -> int:
        """A new action (region, barrier_id, function, action, owner, due, status); the same
        action for the same barrier and function in a region is not added twice."""
        now = datetime.now(timezone.utc)
        record = {k: values[k] for k in ("region", "barrier_id", "function", "action", "owner", "due", "status")}
        self.actor.check(record["region"], "change the action plan")
        with self.engine.begin() as conn:
            existing = conn.execute(select(actions.c.id).where((actions.c.region == record["region"]) & (actions.c.barrier_id == record["barrier_id"])
                                                               & (actions.c.function == record["function"]) & (actions.c.action == record["action"]))).scalar_one_or_none()
            if existing is not None:
                return int(existing)
            new_id = int(conn.execute(insert(actions).values(**record, version=1, created_at=now, updated_at=now).returning(actions.c.id)).scalar_one())
            conn.execute(insert(action_history).values(action_id=new_id, version=1, changed_at=now,
                                                       change=json.dumps({"created": {k: str(v) for k, v in record.items()}})))
            self._log(conn, "insert", actions, new_id, None, record)
            return new_id

    def update(self, action_id: int, changes: dict, version: int) -> int:
        """Change an action's owner, due date, status or text. ``version`` is the one the editor
        opened: if the action changed since, nothing is written and ``StaleAction`` is raised.
        Returns the new version."""
        allowed = {k: v for k, v in changes.items() if k in ("action", "owner", "due", "status", "function")}
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            row = conn.execute(select(actions).where(actions.c.id == action_id)).mappings().one_or_none()
            if row is None:
                raise KeyError(f"No action {action_id}")
            self.actor.check(row["region"], "change the action plan")
            diff = {k: {"before": str(row[k]), "after": str(v)} for k, v in allowed.items() if str(row[k]) != str(v)}
            if not diff:
                return int(row["version"])
            done = conn.execute(update(actions).where((actions.c.id == action_id) & (actions.c.version == version))
                                .values(**allowed, version=version + 1, updated_at=now))
            if done.rowcount != 1:
                raise StaleAction("This action was changed by someone else since you opened it: reload to see their change.")
            conn.execute(insert(action_history).values(action_id=action_id, version=version + 1, changed_at=now, change=json.dumps(diff)))
            self._log(conn, "update", actions, action_id, {k: d["before"] for k, d in diff.items()}, {k: d["after"] for k, d in diff.items()})
            return version + 1

    def list(self, region: str) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(actions).where(actions.c.region == region).order_by(actions.c.due, actions.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in actions.columns])

    def history(self, action_id: int) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(action_history).where(action_history.c.action_id == action_id).order_by(action_history.c.version)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in action_history.columns])


class StaleAction(Exception):
    """An action changed since the editor opened it."""


class UserRepository(_Guarded):
    """Who has which role (``users``); only an administrator changes it."""

    def role_of(self, email: str) -> Actor | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.email == email.strip().lower())).mappings().first()
        return Actor(row["email"], row["role"], parse_regions(row["regions"])) if row else None

    def set_role(self, email: str, role: str, regions: str | None = None) -> None:
        from data_access.access import ROLES

        self.actor.check_admin("change who has which role")
        if role not in ROLES:
            raise ValueError(f"Role must be one of {', '.join(ROLES)}")
        email = email.strip().lower()
        if not EMAIL_RE.fullmatch(email):
            raise ValueError("Give the person's e-mail address as the identity provider sends it (name@organisation.nhs.uk)")
        values = {"role": role, "regions": ",".join(sorted(parse_regions(regions))) or None, "updated_at": _now()}
        with self.engine.begin() as conn:
            before = conn.execute(select(users).where(users.c.email == email)).mappings().first()
            conn.execute(delete(users).where(users.c.email == email))
            conn.execute(insert(users).values(email=email, **values))
            self._log(conn, "update" if before else "insert", users, email, dict(before) if before else None, values)

    def list(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.email)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in users.columns])


def audit_trail_rows(engine: Engine, limit: int = 5000) -> pd.DataFrame:
    """The newest entries of the audit trail (read-only: nothing in the app updates or deletes them)."""
    with engine.connect() as conn:
        rows = conn.execute(select(audit_trail).order_by(audit_trail.c.id.desc()).limit(limit)).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in audit_trail.columns])
