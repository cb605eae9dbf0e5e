"""The briefing pack: one region's key figures, map, reach, barriers and scenarios, as a PDF
(reportlab) and a PowerPoint deck (python-pptx), built from the same functions as the pages.

:func:`build` gathers the content (numbers and images, no Streamlit); :func:`to_pdf` and
:func:`to_pptx` lay it out. Every count of people goes through the suppression function.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd

from dashboard import bcw, reach, vfm
from dashboard.coverage import lsoa_coverage
from dashboard.overview import area_summary
from dashboard.provenance import ATTRIBUTIONS
from dashboard.suppression import note as suppression_note
from dashboard.suppression import suppress
from data_access.config import REGION_NAMES


@dataclass
class Pack:
    region: str
    made_on: dt.date
    vintages: list[str]
    key_figures: pd.DataFrame
    map_png: bytes
    reach_table: pd.DataFrame  # suppressed display
    reach_summary: str
    reach_synthetic: bool
    barriers: pd.DataFrame
    barriers_note: str
    scenarios: pd.DataFrame
    caveats: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"PAIR Atlas briefing: {REGION_NAMES[self.region]}"


def build(
    region: str,
    lsoas: pd.DataFrame,
    services: pd.DataFrame,
    provenance: pd.DataFrame,
    map_png: bytes,
    valid_extract: pd.DataFrame,
    synthetic: bool,
    workshop: tuple[str, pd.DataFrame] | None,
    scenarios: list[tuple[str, str]],
    today: dt.date | None = None,
    progress=lambda step, text: None,
) -> Pack:
    """``lsoas``: the region's LSOAs (IoD 2025); ``scenarios``: (name, inputs JSON) pairs."""
    today = today or dt.date.today()
    progress(1, "Key figures")
    summary = area_summary(lsoas)
    icb = summary[summary["level"] == "ICB"].iloc[0]
    cov = lsoa_coverage(lsoas, services)
    reached = float(cov.loc[cov["covered"], "infants_0"].sum())
    specialist = float(cov.loc[cov["covered_specialist"], "infants_0"].sum())
    key = pd.DataFrame([
        ("LSOAs (neighbourhoods)", f"{int(icb['lsoas']):,}"),
        ("Infants aged 0 (ONS mid-2020)", f"{icb['infants_0']:,.0f}"),
        ("LSOAs in England's most deprived decile (IoD 2025)", f"{icb['share_most_deprived_decile']:.1%}"),
        ("Infants aged 0 within reach of a service in the register", f"{reached:,.0f} ({reached / icb['infants_0']:.0%})"),
        ("...of a specialist-tier service", f"{specialist:,.0f} ({specialist / icb['infants_0']:.0%})"),
        ("Services in the register reaching the region (of which illustrative)",
         f"{cov['n_services'].gt(0).sum():,} LSOAs reached; {len(services):,} services ({(services['status'] == 'illustrative').sum():,} illustrative)"),
    ], columns=["Figure", "Value"])

    progress(2, "Reach by deprivation")
    kids = reach.children(valid_extract)
    table = reach.reach_table(kids, lsoas)
    grad = reach.gradient(table, repetitions=20000)
    shown = suppress(table, ["infants_attending", "attendances", "two_plus"], dependent={
        "infants_attending": ["reach_per_1000", "reach_lower", "reach_upper", "median_attendances"],
        "attendances": ["attendances_per_1000", "attendances_lower", "attendances_upper"],
        "two_plus": ["share_two_plus", "two_plus_lower", "two_plus_upper"],
    })
    display = shown.display({"infants_resident": "{:,.0f}", "reach_per_1000": "{:.1f}", "reach_lower": "{:.1f}", "reach_upper": "{:.1f}"})
    reach_display = display[["group", "infants_resident", "infants_attending", "reach_per_1000", "reach_lower", "reach_upper"]].rename(columns={
        "group": "IMD quintile", "infants_resident": "Infants aged 0", "infants_attending": "Infants attending",
        "reach_per_1000": "Reach per 1,000", "reach_lower": "95% lower", "reach_upper": "95% upper"})
    hide_ratio = shown.mask["infants_attending"].iloc[[0, -1]].any()
    parts = []
    if grad.sii_per_1000 is not None:
        parts.append(f"SII {grad.sii_per_1000:+.1f} per 1,000 (95% CI {grad.sii_ci[0]:+.1f} to {grad.sii_ci[1]:+.1f}): fitted reach at the least deprived end minus the most deprived end.")
    if grad.ratio is not None and not hide_ratio:
        parts.append(f"Quintile 1 : quintile 5 reach ratio {grad.ratio:.2f} ({grad.ratio_ci[0]:.2f} to {grad.ratio_ci[1]:.2f}).")

    progress(3, "Barriers")
    shipped = bcw.shipped_barriers()
    if workshop is not None and not workshop[1].empty:
        top = bcw.workshop_summary(workshop[1], shipped).head(5)[["barrier_id", "title", "ratings", "applies_median", "changeable_median", "priority"]]
        barriers_note = f"Top barriers by priority (median applies x median changeable) from the workshop '{workshop[0]}'."
    else:
        top = bcw.table(shipped).head(5)[["id", "title", "com_b", "intervention_functions"]]
        barriers_note = "No workshop ratings yet: the study's barriers, with PAIR Atlas's suggested COM-B mapping."

    progress(4, "Scenarios")
    rows = []
    for name, inputs_json in scenarios[:4]:
        inputs = vfm.Inputs.from_json(inputs_json)
        out = vfm.run(inputs)
        psa = vfm.probabilistic(inputs)
        rows.append({
            "Scenario": name, "Families reached": f"{float(out['families_reached']):,.0f}", "Cost": f"£{float(out['cost']):,.0f}",
            "Improved outcomes": f"{float(out['improved_outcomes']):,.1f}", "NPV": f"£{float(out['npv']):,.0f}",
            "NPV P10 to P90": f"£{psa['npv'][10]:,.0f} to £{psa['npv'][90]:,.0f}",
            "BCR": "n/a" if pd.isna(out["bcr"]) else f"{float(out['bcr']):.2f}",
            "P(benefits > costs)": f"{psa['p_benefits_exceed_costs']:.0%}",
        })
    scen = pd.DataFrame(rows, columns=["Scenario", "Families reached", "Cost", "Improved outcomes", "NPV", "NPV P10 to P90", "BCR", "P(benefits > costs)"])

    progress(5, "Sources and caveats")
    vintages = sorted({f"{r.title}: {r.vintage}" for r in provenance.itertuples()})
    caveats = [
        suppression_note(),
        "Infants aged 0 are ONS mid-2020 small-area estimates (carried to 2021 LSOAs through the ONS lookup).",
        "Services marked illustrative, and the synthetic demonstration extract, are made up for demonstration and are not real."
        if synthetic else "Services marked illustrative are made up for demonstration and are not real.",
        "COM-B and TDF mappings of barriers are PAIR Atlas's suggestions: the study's own mapping was not available.",
        "Value-for-money inputs marked illustrative are not published figures.",
        *ATTRIBUTIONS,
    ]
    return Pack(region, today, vintages, key, map_png, reach_display, " ".join(parts) or grad.note, synthetic, top, barriers_note, scen, caveats)


# --------------------------------------------------------------------------------------------
# PDF


def to_pdf(pack: Pack) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    nhs_blue = colors.HexColor("#005EB8")
    styles["Title"].textColor = nhs_blue
    styles["Heading2"].textColor = nhs_blue

    def table(frame: pd.DataFrame, widths=None):
        data = [list(frame.columns)] + [[Paragraph(str(v), styles["BodyText"]) for v in row] for row in frame.astype(str).itertuples(index=False)]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")), ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#AEB7BD")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ]))
        return t

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=pack.title, author="PAIR Atlas", leftMargin=1.5 * cm, rightMargin=1.5 * cm)
    story = [
        Paragraph(pack.title, styles["Title"]),
        Paragraph(f"Made on {pack.made_on:%d %B %Y}", styles["Heading3"]),
        Paragraph("Data vintages", styles["Heading2"]),
        *[Paragraph(v, styles["BodyText"]) for v in pack.vintages],
        PageBreak(),
        Paragraph("Key figures", styles["Heading2"]), table(pack.key_figures, [14 * cm, 10 * cm]),
        PageBreak(),
        Paragraph("Deprivation map: IMD 2025 national decile (1 = most deprived)", styles["Heading2"]),
        Image(io.BytesIO(pack.map_png), width=18 * cm, height=13 * cm, kind="proportional"),
        PageBreak(),
        Paragraph("Baby clinic reach by national IMD quintile (1 = most deprived)" + (" - SYNTHETIC DEMONSTRATION DATA" if pack.reach_synthetic else ""), styles["Heading2"]),
        table(pack.reach_table), Spacer(1, 0.3 * cm), Paragraph(pack.reach_summary, styles["BodyText"]),
        PageBreak(),
        Paragraph("Priority barriers", styles["Heading2"]), Paragraph(pack.barriers_note, styles["BodyText"]), table(pack.barriers),
        PageBreak(),
        Paragraph("Scenarios side by side", styles["Heading2"]),
        table(pack.scenarios) if len(pack.scenarios) else Paragraph("No saved scenarios were chosen.", styles["BodyText"]),
        PageBreak(),
        Paragraph("Sources and caveats", styles["Heading2"]), *[Paragraph(c, styles["BodyText"]) for c in pack.caveats],
    ]
    doc.build(story)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# PowerPoint


def to_pptx(pack: Pack) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Cm, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
    blue = RGBColor(0x00, 0x5E, 0xB8)

    def slide(title: str):
        s = deck.slides.add_slide(deck.slide_layouts[5])
        s.shapes.title.text = title
        s.shapes.title.text_frame.paragraphs[0].font.color.rgb = blue
        s.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        return s

    def add_table(s, frame: pd.DataFrame, top=Cm(4)):
        rows, cols = len(frame) + 1, len(frame.columns)
        shape = s.shapes.add_table(rows, cols, Cm(1.5), top, Cm(30.8), Cm(1.0 * rows))
        for j, name in enumerate(frame.columns):
            shape.table.cell(0, j).text = str(name)
        for i, row in enumerate(frame.astype(str).itertuples(index=False), start=1):
            for j, value in enumerate(row):
                shape.table.cell(i, j).text = value
        for cell in (shape.table.cell(i, j) for i in range(rows) for j in range(cols)):
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(11)

    def add_text(s, lines: list[str], top=Cm(4), size=14):
        box = s.shapes.add_textbox(Cm(1.5), top, Cm(30.8), Cm(12)).text_frame
        box.word_wrap = True
        for i, line in enumerate(lines):
            p = box.paragraphs[0] if i == 0 else box.add_paragraph()
            p.text = line
            p.font.size = Pt(size)

    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = pack.title
    first.placeholders[1].text = f"Made on {pack.made_on:%d %B %Y}"
    s = slide("Key figures")
    add_table(s, pack.key_figures)
    s = slide("Deprivation map")
    s.shapes.add_picture(io.BytesIO(pack.map_png), Cm(6), Cm(3.5), height=Cm(15))
    s = slide("Baby clinic reach by IMD quintile" + (" (synthetic demo data)" if pack.reach_synthetic else ""))
    add_table(s, pack.reach_table)
    add_text(s, [pack.reach_summary], top=Cm(12.5), size=12)
    s = slide("Priority barriers")
    add_text(s, [pack.barriers_note], top=Cm(3.2), size=12)
    add_table(s, pack.barriers, top=Cm(5))
    s = slide("Scenarios side by side")
    if len(pack.scenarios):
        add_table(s, pack.scenarios)
    else:
        add_text(s, ["No saved scenarios were chosen."])
    s = slide("Sources and caveats")
    add_text(s, pack.caveats + ["Data vintages:"] + pack.vintages, top=Cm(3.2), size=9)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
