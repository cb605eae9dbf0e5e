"""Each view with the data it needs, for the renderers that take a view as it stands by default
(the meeting steps and the briefing pack): one call per view to :mod:`dashboard.views` with the
data loaded through :mod:`dashboard.ui.data`. The pages call the same view functions with their
widgets' filters; at their defaults they equal these."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import coverage as coverage_model, views
from dashboard.regions import filter_region
from dashboard.ui import clinic, data
from dashboard.vocabulary import DEFAULT_INDEX

ACCEPTED = "accepted_extract"  # the extract accepted on the reach page, for this browser session


def extract():
    """(valid rows, synthetic?): the accepted upload of this session, else the synthetic demo."""
    accepted = st.session_state.get(ACCEPTED)
    if accepted is not None:
        return accepted.valid, False
    return clinic.demo()[1].valid, True


def overview(region: str):
    return views.overview_view(region, DEFAULT_INDEX, data.lsoas(DEFAULT_INDEX), data.services())


def coverage(region: str):
    return views.coverage_view(region, DEFAULT_INDEX, data.lsoas(DEFAULT_INDEX), data.services())


def reach(region: str):
    valid, synthetic = extract()
    return views.reach_view(region, data.lsoas("iod2025"), valid, synthetic, register=data.services())


# The reference data (a frame of every neighbourhood) is named in these caches' keys by the store's
# version, the index and the region it was cut to; the frame itself, an argument named with a
# leading underscore, is not hashed (hashing it took half of each run's time).


# The two views below are shared between sessions, never changed (no renderer writes to a view): a
# rerun that finds one does not copy it out of the cache (unpickling a view with its frames on each
# colouring switch, click or region change), and its charts keep their digests (dashboard/ui/show.py).
@st.cache_resource(show_spinner=False, max_entries=16)
def coverage_filtered(region: str, index: str, version: str, services: str, illustrative: bool, counts_as: str, lad, hypothetical, *,
                      _services, _lsoas):
    """The Map and gaps page's view for its filters, cached on them, the store's version and the
    register's token ``services`` (:func:`data.services_token`; the frame ``_services`` is not hashed):
    a change of colouring or a click on the map does not recompute it."""
    return views.coverage_view(region, index, _lsoas, _services, include_illustrative=illustrative, counts_as=counts_as, lad=lad,
                               hypothetical=hypothetical)


@st.cache_resource(show_spinner=False, max_entries=16)
def overview_filtered(region: str, index: str, version: str, services: str, illustrative: bool):
    """The Overview's view, cached on its filters, the store's version and the register's token
    ``services``; the reference data and the register are read only when it is computed (a rerun
    that finds it does not copy them out of their caches)."""
    return views.overview_view(region, index, data.lsoas(index), data.services_of(services), illustrative)


@st.cache_data(show_spinner=False, max_entries=16)
def site_points(services: str, illustrative: bool, hypothetical: str, version: str, index: str, region: str, *, _services, _hypothetical, _lsoas):
    """Where the map draws each service (:func:`dashboard.coverage.site_points`): the register's real
    services (and its illustrative ones when included) and the what-if sites, in the region's
    neighbourhoods; cached on the register's token ``services``, the what-if sites as text
    ``hypothetical`` and the region (a colouring change or a click does not recompute it)."""
    shown = coverage_model.counted_services(_services, illustrative)
    if len(_hypothetical):
        shown = pd.concat([shown, _hypothetical], ignore_index=True)
    return coverage_model.site_points(shown, filter_region(_lsoas, region))


@st.cache_data(show_spinner=False, max_entries=16)
def local_authorities(version: str, index: str, region: str, *, _lsoas) -> dict[str, str]:
    """The region's local authorities, code -> name in name order (for a choice of one)."""
    lsoas = filter_region(_lsoas, region)
    return dict(lsoas.drop_duplicates("lad_code").sort_values("lad_name")[["lad_code", "lad_name"]].to_numpy())


@st.cache_data(show_spinner=False, max_entries=4)
def workshop_areas(version: str) -> dict[str, str]:
    """The areas a workshop or a local entry is for: each ICB, then each local authority by name (code -> name)."""
    _lsoas = data.lsoas("iod2025")
    icbs = {r.icb_code: f"{r.region} ICB" for r in _lsoas.drop_duplicates("icb_code").itertuples()}
    return {**icbs, **{r.lad_code: r.lad_name for r in _lsoas.drop_duplicates("lad_code").sort_values("lad_name").itertuples()}}


def extract_token(checked, synthetic: bool) -> str:
    """What names an extract in a cache key: the demo by the store's version; an upload by a digest of
    its valid rows, worked out once per accepted extract (hashing 10,000 rows on every run took a third of the page's run)."""
    if synthetic:
        return "demo:" + data.store_or_stop().version
    token = checked.__dict__.get("_token")
    if token is None:
        import hashlib

        import pandas as pd

        token = hashlib.sha256(pd.util.hash_pandas_object(checked.valid, index=True).to_numpy().tobytes()
                               + ",".join(map(str, checked.valid.columns)).encode()).hexdigest()
        checked.__dict__["_token"] = token
    return token


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, never changed (as the two above)
def reach_filtered(region: str, version: str, extract: str, synthetic: bool, lad, clinic_name, groups: str, register_lsoas, services: str,
                   *, _lsoas, _valid, _services):
    """The reach page's view for its filters, cached on them, the store's version, the extract's token
    (:func:`extract_token`) and the register's token ``services`` (the frame ``_services`` is not
    hashed): a rerun that changes nothing else, such as opening a section, does not recompute it,
    and one that finds it does not copy it out of the cache."""
    return views.reach_view(region, _lsoas, _valid, synthetic, lad=lad, clinic=clinic_name, groups=groups,
                            register_lsoas=register_lsoas, register=_services)


def barriers(region: str):
    frame, ratings = data.workshops()
    return views.barriers_view(region, frame, ratings, data.area_lookup()[1])


def scenarios(region: str, names: list[str] | None = None):
    area_names, area_regions = data.area_lookup()
    return views.scenarios_view(region, data.scenarios(names), area_names, area_regions)


@st.cache_data(show_spinner="Counting who attends, by quintile and by clinic…", max_entries=8)
def who_attends(region: str, valid, synthetic: bool, services):
    """The who-attends view (its two-way tables by clinic take a few seconds to suppress for
    NENC's clinics): cached on the region, the extract and the register."""
    return views.who_attends_view(region, data.lsoas("iod2025"), valid, synthetic, data.ethnicity(), services)


def actions(region: str):
    return views.actions_view(region, data.actions())


BUILDERS = {"overview": overview, "coverage": coverage, "reach": reach, "barriers": barriers, "actions": actions, "scenarios": scenarios}


def view_for(key: str, region: str):
    return BUILDERS[key](region)
