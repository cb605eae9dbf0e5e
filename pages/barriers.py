"""Barriers (BCW): barriers and enablers to commissioning PAIR services, by Behaviour Change Wheel component."""

import functools

import streamlit as st

from dashboard import bcw
from dashboard.exports import footer_text
from dashboard.ui import barriers as charts
from dashboard.ui import actions, data, errors, identity, register, show, viewdata
from dashboard.improvement import FINDING_TAGS
from dashboard.services import text_problem
from dashboard.views import barriers_view, bcw_view
from dashboard.ui.downloads import figure_downloads
from dashboard.viewmodel import Table, View
from dashboard.ui.state import bound
from dashboard.ui.widgets import choice
from data_access.repositories import BarrierRepository

st.title("Barriers (BCW)")
show.text(
    "Barriers and enablers to commissioning parent-infant relationship (PAIR) services that commissioners in "
    "North East and North Cumbria described (McSweeney et al., *BMC Health Services Research* 2025), and recurring "
    "themes from the Parent-Infant Foundation, organised by the Behaviour Change Wheel, with a path from a prioritised "
    "barrier to chosen intervention functions and an action plan. Every COM-B and TDF mapping shown is **PAIR Atlas's "
    "suggestion**, which you can change for your area."
)
study = bcw.study()
with st.expander("The evidence: what the study was, and how far it travels", icon=":material/science:", key="bcw_evidence",
                 on_change="rerun") as evidence_box:
    if evidence_box.open:  # made when opened
        st.markdown(
            f"- **Study:** {show.escape_md(study['citation'])}\n- **Method:** {show.escape_md(study['method'])}\n"
            f"- **Sample:** {show.escape_md(study['sample'])}\n- **Place:** {show.escape_md(study['place'])}\n"
            f"- **When:** {show.escape_md(study['dates'])}\n- **Using it elsewhere:** {show.escape_md(study['transfer'])}\n"
            f"- **What PAIR Atlas had:** {show.escape_md(study['abstract_only'])}"
        )

repo = BarrierRepository(register.engine(), identity.current(), data.area_lookup()[1].get)
local = repo.local()
wheel = bcw.wheel()
everything = bcw.merge_local(bcw.shipped_barriers(), local)


@errors.fragment
def barriers_body() -> None:
    """The filters, the BCW matrix and everything after them: a change of one of them (or of the section shown, a
    workshop, a rating) reruns only this, not the app's navigation, sidebar and the page's introduction."""
    # The filters in one panel (made in the browser when opened: no list boxes to load for the first
    # screen); what they are set to is written beside it.
    f_panel, f_said, f_version = st.columns([1, 4, 1], vertical_alignment="center")
    with f_panel, st.popover("Filters", icon=":material/filter_list:", key="bcw_filters", width="stretch",
                             help="Source, COM-B component, TDF domain, level, direction and whose behaviour"):
        evidence = bound(st.multiselect, "Source", list(bcw.EVIDENCE), format_func=bcw.EVIDENCE.get, key="f_source")
        com_b = bound(st.multiselect, "COM-B component", list(wheel.com_b), key="f_comb")
        tdf = bound(st.multiselect, "TDF domain", list(wheel.tdf), key="f_tdf")
        levels = bound(st.multiselect, "Level", bcw.LEVELS, key="f_level")
        directions = bound(st.multiselect, "Direction", ["barrier", "enabler"], key="f_direction")
        behaviours = st.multiselect("Whose behaviour", list(bcw.BEHAVIOURS), default=list(bcw.BEHAVIOURS), format_func=bcw.BEHAVIOURS.get,
                                    key="f_behaviour")
    with f_version:
        version = bound(choice, "BCW matrix", ["2014", "2011"], default="2014", required=True, key="f_version",
                        help="COM-B to intervention function links as in the 2014 guide or the 2011 paper") or "2014"
    active = [(name, [label(v) for v in values]) for name, values, label in (
        ("Source", evidence, bcw.EVIDENCE.get), ("COM-B", com_b, str), ("TDF", tdf, str), ("Level", levels, str), ("Direction", directions, str),
        ("Whose behaviour", behaviours if len(behaviours) < len(bcw.BEHAVIOURS) else [], lambda v: bcw.BEHAVIOURS[v].split(":")[0]),
    ) if values]
    with f_said:
        show.text("**Filtered by** " + "; ".join(f"{name}: {show.escape_md(', '.join(shown))}" for name, shown in active) if active
                  else "**No filters:** every barrier and enabler (open *Filters* to narrow them)")
    chosen = bcw.filter_barriers(everything, com_b, tdf, levels, directions, behaviours, evidence)
    components = sorted({c for b in chosen if b.amenable for c in b.com_b}, key=list(wheel.com_b).index)
    functions = [f for f in wheel.functions if any(c.function == f and c.suggested for b in chosen for c in bcw.candidates(b, version))]
    policies = wheel.policies_for(functions)

    st.subheader(f"{len(chosen)} of {len(everything)} barriers and enablers")
    show.text(
        f"Those amenable to change point to **COM-B:** {show.escape_md(', '.join(components)) or 'none'}; **candidate intervention "
        f"functions:** {show.escape_md(', '.join(functions)) or 'none'}; **policy categories:** {show.escape_md(', '.join(policies)) or 'none'} "
        f"({version} matrix). Candidates are "
        "narrowed to the functions a group keeps after APEASE, under *From barrier to action*."
    )

    @functools.cache
    def tables() -> View:  # the page's tables: made only for a section that shows one (a run that shows none skips it)
        return bcw_view(bcw.table(chosen, version), wheel, version, local)

    wheel_col, heat_col = st.columns([1, 1])
    wheel_chart = charts.wheel_chart(components, functions, policies, "What the selected barriers point to")
    with wheel_col:
        show.figure(wheel_chart, "wheel", width=None, description="Behaviour Change Wheel: the segments the selected barriers point to are coloured")
        # the three figures' PNG and SVG, and the matrices' CSV, in one menu (one control, not three, to draw on each
        # change); the matrices' drawings are made only when one is asked for
        matrix_source = footer_text(" ".join(list(wheel.sources.values())[:2]))
        figure_downloads([
            (wheel_chart, "Behaviour Change Wheel", "behaviour_change_wheel",
             footer_text("PAIR Atlas; Michie, van Stralen and West 2011; Michie, Atkins and West 2014", bcw.SUGGESTED)),
            (lambda: charts.heatmap("com_b", version, bcw.matrix_title("com_b", version), "COM-B", components),
             bcw.matrix_title("com_b", version), f"com_b_to_functions_{version}", matrix_source,
             lambda: tables().table("com_b_to_functions").export()),
            (lambda: charts.heatmap("policies", "2014", bcw.matrix_title("policies"), "Function", functions),
             bcw.matrix_title("policies"), "functions_to_policies_2014", matrix_source,
             lambda: tables().table("functions_to_policies").export()),
        ], key="bcw_figures")
    with heat_col:  # the matrices as tables (read by a screen reader as they are), the rows pointed to in blue
        st.html(charts.matrices_html(version, tuple(components), tuple(functions)))
    show.text("Sources: " + show.escape_md(" ".join(wheel.sources.values())), small=True)

    areas = viewdata.workshop_areas(data.store_or_stop().version)  # for workshops and local entries
    SECTIONS = ["Cards", "Table", "Local prioritisation workshop", "From barrier to action", "Add local barriers and families' findings"]
    # One section at a time, chosen as on the Map and Value for money pages (its name is in the URL; only it
    # runs); a link to a region's action plan opens that section. Five tabs were about 180 more components
    # for the browser to draw again at each of the six or seven redraws a change of the matrix or a filter makes.
    section = bound(choice, "Show", SECTIONS, required=True, key="bcw_tab",
                    default=SECTIONS[3] if "plan_region" in st.query_params else SECTIONS[0]) or SECTIONS[0]

    if section == SECTIONS[0]:
        changeable = [b for b in chosen if b.amenable]
        context = [b for b in chosen if not b.amenable]
        # every card in one HTML block (dashboard/ui/barriers.py: cards): one element to draw, not five a card
        st.html(f"<h4 class='pair-cards-heading'>Behaviours that can change ({len(changeable)})</h4>" + charts.cards(changeable, version)
                + (f"<h4 class='pair-cards-heading'>Context: structural factors ({len(context)})</h4><p>Shown as the conditions the behaviours above "
                   "happen in, not as behaviours to change (PAIR Atlas's judgement of which factors are amenable to change).</p>"
                   + charts.cards(context, version) if context else ""))
    if section == SECTIONS[1]:
        show.table(tables().table("barriers"), tables(), "barrier_table")

    if section == SECTIONS[2]:
        st.markdown("A facilitator opens a named workshop for an ICB or local authority; each participant rates how much each barrier applies locally and how changeable it is (1 = not at all, 5 = very). Priority = median applies x median changeable.")
        with st.form("open_workshop"):
            w1, w2 = st.columns(2)
            name = w1.text_input("Workshop name", max_chars=200, placeholder="e.g. Gateshead PAIR planning, March 2026")
            area = w2.selectbox("Area", list(areas), format_func=areas.get)
            if st.form_submit_button("Open workshop") and name.strip():
                if problem := text_problem(name.strip(), 200):
                    st.error(f"Not opened: the workshop name {problem}.", icon=":material/error:")
                else:
                    st.session_state["workshop_id"] = repo.open_workshop(name.strip(), area, areas[area])
        existing = repo.workshops()
        if not existing.empty:
            ids = existing["id"].tolist()
            current = st.session_state.get("workshop_id", ids[0])
            workshop_id = st.selectbox("Workshop", ids, index=ids.index(current) if current in ids else 0,
                                       format_func=lambda i: f"{existing.set_index('id').at[i, 'name']} ({existing.set_index('id').at[i, 'area_name']})", key="workshop_pick")
            area_code = existing.set_index("id").at[workshop_id, "area_code"]
            # commissioners' barriers and families' findings (uptake / continued use) are rated side by side
            in_area = bcw.merge_local(bcw.shipped_barriers(), local, area_code)
            with st.form(f"rate_{workshop_id}", clear_on_submit=True):
                participant = st.text_input("Your initials or role (optional, no names)", max_chars=60)
                st.caption("Every barrier starts unrated: rate only what you can judge. An unrated question is not counted.")
                scores = {}
                for b in in_area:
                    r1, r2, r3 = st.columns([4, 3, 3])
                    r1.markdown(f"**{show.escape_md(b.id)}.** {show.escape_md(b.title)}")
                    scores[b.id] = (
                        choice("Applies locally", [1, 2, 3, 4, 5], key=f"a_{workshop_id}_{b.id}", within=r2),
                        choice("Changeable", [1, 2, 3, 4, 5], key=f"c_{workshop_id}_{b.id}", within=r3),
                    )
                submitted = st.form_submit_button("Submit my ratings", type="primary")
                if submitted and (problem := bcw.local_entry_problems({"initials or role": (participant, 60, False)})):
                    st.error("Not saved: " + "; ".join(problem) + ".", icon=":material/error:")
                elif submitted:
                    rated = {bid: pair for bid, pair in scores.items() if pair != (None, None)}
                    for bid, (applies, changeable) in rated.items():
                        repo.rate(workshop_id, bid, applies, changeable, participant.strip() or None)
                    st.toast(f"Saved ratings of {len(rated)} barriers" if rated else "Nothing rated: choose 1 to 5 for a barrier first")
            area_names, area_regions = data.area_lookup()
            view = barriers_view(area_regions[area_code], existing, {int(workshop_id): repo.ratings(int(workshop_id))}, area_regions,
                                 top=None, workshop_id=int(workshop_id))
            show.headline(view)
            chart_col, table_col = st.columns([1, 1])
            with chart_col:
                for chart in view.charts:
                    show.chart(chart, view, "priority_chart")
            with table_col:
                show.table(view.table("priorities"), view, "workshop_summary")

    if section == SECTIONS[3]:
        actions.section(everything, version)

    if section == SECTIONS[4]:
        st.markdown(
            "Add a barrier or enabler that applies locally, or a summary of what families said about using baby clinics "
            "(from service-led discussions). **Write summaries, not quotes, and no personal details.** Local entries are "
            "stored apart from the shipped content and marked *local*."
        )
        kind = st.radio("Type of entry", ["new", "mapping"], format_func={"new": "A new local barrier or families' finding", "mapping": "A local change to a shipped barrier's mapping"}.get, horizontal=True, key="local_kind")
        with st.form("local_form"):
            if kind == "mapping":
                shipped = {b.id: b for b in bcw.shipped_barriers()}
                target = st.selectbox("Barrier", list(shipped), format_func=lambda i: f"{i}. {shipped[i].title}")
                title, description, level, direction, behaviour, suggested = shipped[target].title, "", shipped[target].level, shipped[target].direction, shipped[target].behaviour, ""
                tag = None
            else:
                title = st.text_input("Short title", max_chars=200)
                description = st.text_area("Summary (no quotes, no personal details)", max_chars=1000)
                l1, l2, l3 = st.columns(3)
                level = l1.selectbox("Level", bcw.LEVELS)
                direction = l2.selectbox("Direction", bcw.DIRECTIONS)
                behaviour = l3.selectbox("Whose behaviour", list(bcw.BEHAVIOURS), format_func=bcw.BEHAVIOURS.get)
                tag = st.selectbox("For a families' finding: about", [None, *FINDING_TAGS], format_func=lambda t: "not a families' finding" if t is None else t,
                                   key="finding_tag")
                suggested = st.text_area("Suggested actions (one per line)", max_chars=1000)
            new_comb = st.multiselect("COM-B components", list(wheel.com_b))
            new_tdf = st.multiselect("TDF domains", list(wheel.tdf))
            source = st.text_input("Source (e.g. 'Sirona parent discussions, Feb 2026')", max_chars=300)
            area = st.selectbox("Area (optional)", [None, *areas], format_func=lambda c: "All areas" if c is None else areas[c])
            saved = st.form_submit_button("Save local entry", type="primary")
        if saved:
            problems = []
            if kind == "new" and not title.strip():
                problems.append("a short title is required")
            if not new_comb:
                problems.append("choose at least one COM-B component")
            if not source.strip():
                problems.append("give the source")
            problems += bcw.local_entry_problems({"title": (title, 200, False), "summary": (description, 1000, True),
                                                  "actions": (suggested, 1000, True), "source": (source, 300, False)})
            if problems:
                st.error("Not saved: " + "; ".join(problems) + ".", icon=":material/error:")
            else:
                next_id = target if kind == "mapping" else f"L{len(local[local['kind'] == 'new']) + 1:02d}" if not local.empty else "L01"
                repo.add_local({"kind": kind, "barrier_id": next_id, "area_code": area, "title": title.strip(), "description": description.strip(),
                                "level": level, "direction": direction, "behaviour": behaviour, "com_b": "; ".join(new_comb),
                                "tdf": "; ".join(new_tdf), "actions": suggested.strip(), "source": source.strip(),
                                "finding_tag": tag if kind == "new" and behaviour == "families" else None})
                st.toast("Saved as a local entry")
                st.rerun()
        st.markdown("**Side by side:** commissioners' barriers and families' findings.")
        left, right = st.columns(2)
        listing = tables().table("barriers").frame
        for col, key in ((left, "commissioning"), (right, "families")):
            part = listing[listing["behaviour"] == bcw.BEHAVIOURS[key]]
            col.markdown(f"**{bcw.BEHAVIOURS[key]}** ({len(part)})")
            with col:
                keep = [c for c in tables().table("barriers").columns if c.key in ("id", "title", "com_b", "intervention_functions", "origin")]
                show.table(Table(f"side_{key}", bcw.BEHAVIOURS[key], part.reset_index(drop=True), keep), tables(), f"side_{key}", downloads=False)
        if not local.empty:
            show.table(tables().table("local_entries"), tables(), "local_table")


barriers_body()
