"""Roles on the server side: every repository write, tried as a viewer and as the other region's
editor, is refused with nothing written (data or audit trail); allowed writes are recorded in
the append-only audit trail with who, what, before and after. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access.access import LOCAL, Actor, Refused
from data_access import db
from data_access.repositories import (ActionRepository, AuditRepository, BarrierRepository, ImprovementRepository, ObservedRepository,
                                      ScenarioRepository, ServiceRepository, StaleEdit, UserRepository, audit_trail_rows)

VIEWER = Actor("viewer@nhs.net", "viewer")
NENC_EDITOR = Actor("nenc.editor@nhs.net", "editor", frozenset({"NENC"}))
AREAS = {"E08000037": "NENC", "E54000039": "BNSSG"}.get


def service_region(record: dict) -> str:
    return "BNSSG" if str(record.get("postcode") or "").startswith("BS") else "NENC"


BRISTOL = {"name": "Bristol clinic", "service_type": "health-visitor baby clinic", "tier": "universal", "status": "local", "postcode": "BS1 4DJ"}


def _counts(engine) -> dict[str, int]:
    tables = [db.services, db.workshops, db.ratings, db.local_barriers, db.audit_counts, db.scenarios, db.observed_outcomes,
              db.improvement_steps, db.apease_ratings, db.actions, db.users, db.audit_trail]
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def _seed(engine):
    """BNSSG data written by the local user (an administrator), for others to try to change."""
    services = ServiceRepository(engine, LOCAL, service_region)
    sid = services.add(BRISTOL)
    wid = BarrierRepository(engine, LOCAL, AREAS).open_workshop("Bristol workshop", "E54000039", "BNSSG ICB")
    ScenarioRepository(engine, LOCAL, AREAS).save("Bristol plan", "E54000039", "{}")
    aid = ActionRepository(engine, LOCAL).add({"region": "BNSSG", "barrier_id": "B05", "function": "Education", "action": "Brief",
                                               "owner": "ICB commissioner", "due": dt.date(2027, 1, 1), "status": "planned"})
    return sid, wid, aid


def _writes(engine, actor, sid, wid, aid):
    services = ServiceRepository(engine, actor, service_region)
    barriers = BarrierRepository(engine, actor, AREAS)
    plans = ActionRepository(engine, actor)
    return {
        "add a service": lambda: services.add({**BRISTOL, "name": "Another"}),
        "import services": lambda: services.add_many([{**BRISTOL, "name": "Imported"}]),
        "edit a service": lambda: services.update(sid, {"name": "Renamed"}),
        "delete a service": lambda: services.delete(sid),
        "open a workshop": lambda: barriers.open_workshop("Mine", "E54000039", "BNSSG ICB"),
        "rate in a workshop": lambda: barriers.rate(wid, "B05", 5, 5, "X"),
        "add a local barrier": lambda: barriers.add_local({"kind": "new", "barrier_id": "L01", "area_code": "E54000039", "title": "t",
                                                           "level": "general", "direction": "barrier", "behaviour": "families",
                                                           "com_b": "Physical opportunity", "source": "s"}),
        "save a clinic audit": lambda: AuditRepository(engine, actor).save("a", pd.DataFrame(
            [{"clinic": "c", "lsoa_code": "E01014540", "month": "2025-04", "infants": 9, "attendances": 9}]), region="BNSSG"),
        "change someone else's scenario": lambda: ScenarioRepository(engine, actor, AREAS).save("Bristol plan", "E54000039", "{\"x\": 1}"),
        "delete someone else's scenario": lambda: ScenarioRepository(engine, actor, AREAS).delete("Bristol plan"),
        "enter observed outcomes": lambda: ObservedRepository(engine, actor).save({
            "service": "S", "region": "BNSSG", "period_start": dt.date(2025, 4, 1), "period_end": dt.date(2026, 3, 31), "referrals": 10,
            "families_seen": 9, "completions": 8, "source": "s"}),
        "record the improvement cycle": lambda: ImprovementRepository(engine, actor).save({"region": "BNSSG", "step": "audit", "status": "done"}),
        "rate a function through APEASE": lambda: plans.rate_function("BNSSG", "B05", "Education", {}, None, False),
        "add an action": lambda: plans.add({"region": "BNSSG", "barrier_id": "B05", "function": "Education", "action": "Other",
                                           "owner": "ICB commissioner", "due": dt.date(2027, 1, 1), "status": "planned"}),
        "update an action": lambda: plans.update(aid, {"status": "done"}, 1),
        "give someone a role": lambda: UserRepository(engine, actor).set_role("x@nhs.net", "admin"),
    }


@pytest.mark.parametrize("actor", [VIEWER, NENC_EDITOR], ids=["viewer", "other region's editor"])
def test_every_write_is_refused_with_nothing_written(engine, actor):
    db.migrate(engine)
    ids = _seed(engine)
    before = _counts(engine)
    for what, write in _writes(engine, actor, *ids).items():
        with pytest.raises(Refused):
            write()
        assert _counts(engine) == before, f"'{what}' wrote something"
    assert ServiceRepository(engine).get(ids[0])["name"] == "Bristol clinic"


def test_allowed_writes_are_in_the_audit_trail_with_who_and_what(engine):
    db.migrate(engine)
    sid, wid, aid = _seed(engine)
    services = ServiceRepository(engine, Actor("bnssg.editor@nhs.net", "editor", frozenset({"BNSSG"})), service_region)
    services.update(sid, {"name": "Bristol central clinic"})
    ScenarioRepository(engine, VIEWER, AREAS).save("My own plan", "E54000039", "{}")  # a viewer saves their own scenario
    ScenarioRepository(engine, VIEWER, AREAS).delete("My own plan")
    trail = audit_trail_rows(engine)
    latest = trail.iloc[2]
    assert (latest["who"], latest["action"], latest["table_name"], latest["record"]) == ("bnssg.editor@nhs.net", "update", "services", str(sid))
    assert '"name": "Bristol clinic"' in latest["before"] and '"name": "Bristol central clinic"' in latest["after"]
    assert trail.iloc[0]["who"] == "viewer@nhs.net" and trail.iloc[0]["action"] == "delete"
    assert set(trail["who"]) == {"local user", "bnssg.editor@nhs.net", "viewer@nhs.net"} and len(trail) == 7


def test_two_editors_changing_the_same_service(engine):
    db.migrate(engine)
    sid = ServiceRepository(engine, LOCAL, service_region).add(BRISTOL)
    opened = ServiceRepository(engine).get(sid)["version"]  # both editors open version 1
    first, second = ServiceRepository(engine, LOCAL, service_region), ServiceRepository(engine, LOCAL, service_region)
    assert first.update(sid, {"capacity_families": 120}, version=opened)
    with pytest.raises(StaleEdit, match="changed by someone else since you opened it"):
        second.update(sid, {"capacity_families": 80}, version=opened)
    row = ServiceRepository(engine).get(sid)
    assert row["capacity_families"] == 120 and row["version"] == 2


def test_roles_are_kept_by_email_and_only_an_admin_sets_them(engine):
    db.migrate(engine)
    UserRepository(engine, LOCAL).set_role("Editor@NHS.net ", "editor", "NENC, bnssg, XX")
    actor = UserRepository(engine).role_of("editor@nhs.net")
    assert actor.role == "editor" and actor.regions == frozenset({"NENC", "BNSSG"}) and actor.can_edit("BNSSG")
    assert UserRepository(engine).role_of("nobody@nhs.net") is None
    with pytest.raises(ValueError, match="e-mail"):
        UserRepository(engine, LOCAL).set_role("not an address", "viewer")


def test_the_admin_section_lists_changes_and_sets_roles(app_db):
    from tests.apphelp import open_page, tables

    at = open_page("data_and_sources")
    assert not at.text_input  # the administration section is made when opened
    at.session_state["admin_open"] = True
    at.run()
    at.text_input[0].set_value("Editor@nhs.net")
    [s for s in at.selectbox if s.label == "Role"][0].set_value("editor")
    [m for m in at.multiselect if m.label.startswith("Regions")][0].set_value(["BNSSG"])
    [b for b in at.button if b.label == "Save the role"][0].click().run()
    users = next(d.value for d in tables(at) if "E-mail" in d.value.columns)
    assert users.iloc[0].tolist()[:3] == ["editor@nhs.net", "editor", "BNSSG"]
    trail = next(d.value for d in tables(at) if "Who" in d.value.columns)
    assert trail.iloc[0]["Who"] == "local user" and trail.iloc[0]["Table"] == "users" and trail.iloc[0]["Record"] == "editor@nhs.net"
