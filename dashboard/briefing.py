"""The briefing pack: a decision brief for one region, as a PDF (reportlab) and a PowerPoint deck
(python-pptx), laid out from the same views as the pages and the meeting steps (no Streamlit).

Page 1 is an executive summary: one headline sentence per question, each with its caveat flags.
Then one page per question (its sentence, its chart and a short table), a map page (services by
tier, gaps, place names), and sources and methods last. Every page's footer carries the region,
the date, the page number and the marking.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from dashboard import charts
from dashboard.provenance import ATTRIBUTIONS, METHOD_NOTES
from dashboard.viewmodel import View
from dashboard.vocabulary import REGION_NAMES

MARKING = "OFFICIAL - for planning"
ORDER = ["overview", "coverage", "reach", "barriers", "actions", "scenarios"]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
TABLE_ROWS = {"coverage": ("coverage_by_quintile", 5), "reach": ("reach", 10), "barriers": ("priorities", 5), "actions": ("actions", 8), "scenarios": ("scenarios", 4), "overview": ("areas", 12)}
#: Columns the pack's short tables keep (by label; a table keeps all when not listed).
SHORT_COLUMNS = {
    "reach": ["IMD quintile (1 = most deprived)", "IMD decile (1 = most deprived)", "Infants aged 0", "Infant-years at risk", "Infants attending", "Reach per 1,000 infant-years", "95% lower", "95% upper"],
    "overview": ["Area", "Level", "LSOAs", "Infants aged 0", "Share in decile 1"],
    "coverage": ["IMD quintile (1 = most deprived)", "Infants aged 0", "Within reach: a specialised PAIR team", "Within reach: targeted support",
                 "Within reach: universal services", "Share with a specialised team"],
    "barriers": ["Rank", "Tie", "ID", "Barrier", "Applies (median, 1-5)", "Changeable (median, 1-5)", "Priority (1-25)", "COM-B (suggested)", "Intervention functions"],
    "scenarios": ["Scenario", "Area", "Families helped", "Cost", "Net present value", "NPV 10th percentile", "NPV 90th percentile", "Chance benefits exceed costs"],
}


@dataclass
class Pack:
    region: str
    made_on: dt.date
    views: dict[str, View]
    map_png: bytes
    chart_pngs: dict[str, bytes] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"PAIR Atlas briefing: {REGION_NAMES[self.region]}"

    def headlines(self) -> list[tuple[str, str, list[str]]]:
        """(question title, headline sentence, caveat flags) for the executive summary."""
        return [(v.title, v.summary, v.caveats) for key in ORDER if (v := self.views.get(key)) is not None]

    def short_table(self, key: str):
        view = self.views[key]
        table_key, rows = TABLE_ROWS[key]
        frame = view.table(table_key).formatted().head(rows)
        keep = [c for c in SHORT_COLUMNS.get(key, frame.columns) if c in frame.columns]
        return frame[keep]


def chart_png(view: View, width: int = 560, height: int = 360) -> bytes | None:
    """The view's first chart as a PNG (vl-convert), the same spec as on the page."""
    import vl_convert as vlc

    if not view.charts:
        return None
    return vlc.vegalite_to_png(charts.build(view.charts[0], width=width, height=height).to_json(), scale=2)


def build(region: str, views: dict[str, View], map_png: bytes, provenance=None, today: dt.date | None = None, progress=lambda step, text: None) -> Pack:
    """Gather the pack for ``region`` from its views. Refuses a view of another region."""
    for key, view in views.items():
        if view.region != region:
            raise ValueError(f"The {key} view is for {view.region}, not {region}")
    pngs = {}
    for i, key in enumerate(ORDER, 1):
        if key in views and key != "overview":
            progress(i, f"Chart: {views[key].title}")
            png = chart_png(views[key])
            if png:
                pngs[key] = png
    if "scenarios" in views and any(c.key == "tornado" for c in views["scenarios"].charts):
        import vl_convert as vlc

        pngs["tornado"] = vlc.vegalite_to_png(charts.build(views["scenarios"].chart("tornado"), width=620, height=380).to_json(), scale=2)
    used = {"English Indices of Deprivation 2025", "LSOA", "ICB", "population", "Population", "Boundaries", "boundaries"}
    sources = []
    if provenance is not None:
        for r in provenance.itertuples():
            if any(word in r.title for word in used):
                sources.append(f"{r.title}: {r.vintage}")
    return Pack(region, today or dt.date.today(), views, map_png, pngs, sorted(set(sources)))


# --------------------------------------------------------------------------------------------
# PDF


def to_pdf(pack: Pack) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # DejaVu Sans: it has the minus sign (U+2212) and the pound sign the figures use.
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONT_BOLD))
        from reportlab.lib.fonts import addMapping

        addMapping("DejaVu", 0, 0, "DejaVu")
        addMapping("DejaVu", 1, 0, "DejaVu-Bold")
        addMapping("DejaVu", 0, 1, "DejaVu")
        addMapping("DejaVu", 1, 1, "DejaVu-Bold")
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = "DejaVu-Bold" if "Bold" in getattr(style, "fontName", "") or style.name.startswith(("Heading", "Title")) else "DejaVu"
    blue = colors.HexColor("#005EB8")
    h1 = ParagraphStyle("h1", parent=styles["Title"], textColor=blue, alignment=0, fontSize=22, leading=26)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], textColor=blue, fontSize=16, leading=20)
    lead = ParagraphStyle("lead", parent=styles["BodyText"], fontSize=13, leading=17, spaceAfter=6)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=12)
    flag = ParagraphStyle("flag", parent=body, textColor=colors.HexColor("#8A1538"), fontName="DejaVu-Bold")
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#425563"))
    width, height = landscape(A4)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        canvas.setFillColor(colors.HexColor("#425563"))
        canvas.drawString(1.5 * cm, 0.9 * cm, f"PAIR Atlas · {REGION_NAMES[pack.region]} · made {pack.made_on:%d %B %Y}")
        canvas.drawCentredString(width / 2, 0.9 * cm, MARKING)
        canvas.drawRightString(width - 1.5 * cm, 0.9 * cm, f"Page {doc.page}")
        canvas.restoreState()

    def table(frame, col_widths=None):
        data = [[Paragraph(f"<b>{escape(str(c))}</b>", small) for c in frame.columns]]
        data += [[Paragraph(escape(str(v)), small) for v in row] for row in frame.itertuples(index=False)]
        t = Table(data, colWidths=col_widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")), ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#AEB7BD")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    def flags(view: View):
        return [Paragraph("Caveat: " + escape(c), flag) for c in view.caveats]

    usable = width - 3 * cm
    story = [Paragraph(escape(pack.title), h1), Paragraph(f"Decision brief made on {pack.made_on:%d %B %Y} · {MARKING}", small), Spacer(1, 0.4 * cm),
             Paragraph("Executive summary", h2)]
    for title, sentence, caveats in pack.headlines():
        story.append(Paragraph(f"<b>{escape(title)}.</b> {escape(sentence)}", lead))
        story += [Paragraph("Caveat: " + escape(c), flag) for c in caveats]
    ov = pack.views.get("overview")
    if ov is not None:
        story += [Spacer(1, 0.3 * cm), Paragraph(escape(" ".join(ov.notes)), body)]
    for key in ORDER[1:]:
        view = pack.views.get(key)
        if view is None:
            continue
        story += [PageBreak(), Paragraph(escape(view.question), h2), Paragraph(escape(view.summary), lead), *flags(view)]
        frame = pack.short_table(key)
        t = table(frame)
        wide = len(frame.columns) > 7  # a wide table goes under its chart, across the page
        if key in pack.chart_pngs and not wide:
            img = Image(io.BytesIO(pack.chart_pngs[key]), width=usable * 0.55, height=11 * cm, kind="proportional")
            side = Table([[img, t]], colWidths=[usable * 0.56, usable * 0.44])
            side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(side)
        elif key in pack.chart_pngs:
            story += [Image(io.BytesIO(pack.chart_pngs[key]), width=usable * 0.7, height=7 * cm, kind="proportional"), Spacer(1, 0.2 * cm), t]
        else:
            story.append(t)
        story += [Spacer(1, 0.2 * cm), *[Paragraph(escape(n), small) for n in view.notes[:3]], Paragraph("Source: " + escape(view.source), small)]
        if key == "scenarios" and "tornado" in pack.chart_pngs:
            tornado = view.chart("tornado")
            story += [PageBreak(), Paragraph(escape(tornado.title), h2), Paragraph(escape(tornado.summary), lead),
                      Image(io.BytesIO(pack.chart_pngs["tornado"]), width=usable * 0.8, height=13 * cm, kind="proportional")]
        if key == "coverage":
            story += [PageBreak(), Paragraph(f"Where the gaps are: {escape(REGION_NAMES[pack.region])}", h2),
                      Paragraph("National IMD decile of each neighbourhood (1 = most deprived), local-authority names, deprived neighbourhoods "
                                "without a specialised PAIR team outlined in red, and service sites by tier (solid: real; hollow: illustrative).", body),
                      Image(io.BytesIO(pack.map_png), width=usable, height=14.5 * cm, kind="proportional")]
    story += [PageBreak(), Paragraph("Sources and methods", h2)]
    for key in ORDER:
        if key in pack.views:
            story.append(Paragraph(f"<b>{escape(pack.views[key].title)}:</b> {escape(pack.views[key].source)}.", body))
    story += [Spacer(1, 0.15 * cm), *[Paragraph(f"<b>{escape(k)}.</b> {escape(v)}", small) for k, v in METHOD_NOTES.items()]]
    if pack.sources:
        story += [Spacer(1, 0.15 * cm), Paragraph("<b>Data vintages used.</b> " + escape("; ".join(pack.sources)) + ".", small)]
    story += [Spacer(1, 0.15 * cm), Paragraph(escape(" ".join(ATTRIBUTIONS)), small)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=pack.title, author="PAIR Atlas",
                            leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.3 * cm, bottomMargin=1.6 * cm)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# PowerPoint: text is fitted to its box (smaller type, then split across lines it has room for)


def text_lines(text: str, width_pt: float, size_pt: float, bold: bool = False) -> list[str]:
    """``text`` wrapped to ``width_pt`` at ``size_pt``, measured with the DejaVu Sans metrics."""
    from PIL import ImageFont

    font = ImageFont.truetype(FONT_BOLD if bold else FONT, size=int(round(size_pt * 10)))
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if font.getlength(trial) / 10 <= width_pt or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit(text: str, width_pt: float, height_pt: float, max_pt: float, min_pt: float = 10, bold: bool = False) -> tuple[float, list[str]]:
    """The largest size from ``max_pt`` down to ``min_pt`` at which ``text`` fits the box, and
    its lines; at ``min_pt`` the lines that fit (the caller puts the rest elsewhere)."""
    size = max_pt
    while size >= min_pt:
        lines = text_lines(text, width_pt, size, bold)
        if len(lines) * size * 1.25 <= height_pt:
            return size, lines
        size -= 1
    lines = text_lines(text, width_pt, min_pt, bold)
    return min_pt, lines[: max(1, int(height_pt // (min_pt * 1.25)))]


def to_pptx(pack: Pack) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Cm, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
    blue = RGBColor(0x00, 0x5E, 0xB8)
    grey = RGBColor(0x42, 0x55, 0x63)
    blank = deck.slide_layouts[6]
    emu_pt = 12700

    def box(slide, text: str, left, top, width, height, max_pt: float, bold: bool = False, colour=None, min_pt: float = 10) -> str:
        """A text box with ``text`` fitted; returns what did not fit (empty when all fitted)."""
        size, lines = fit(text, width / emu_pt - 14, height / emu_pt - 8, max_pt, min_pt, bold)
        frame = slide.shapes.add_textbox(left, top, width, height).text_frame
        frame.word_wrap = True
        for margin in ("margin_left", "margin_right"):
            setattr(frame, margin, Pt(7))
        frame.margin_top = frame.margin_bottom = Pt(4)
        shown = " ".join(lines)
        frame.paragraphs[0].text = shown
        for run in frame.paragraphs[0].runs:
            run.font.size, run.font.bold = Pt(size), bold
            if colour is not None:
                run.font.color.rgb = colour
        return text[len(shown):].strip() if len(shown) < len(text) else ""

    def slide_with(title: str, view: View | None = None):
        s = deck.slides.add_slide(blank)
        rest = box(s, title, Cm(1.2), Cm(0.6), Cm(31.4), Cm(3.2), 26, True, blue, 14)
        if rest:  # a headline too long for the title box continues under it
            box(s, rest, Cm(1.2), Cm(3.8), Cm(31.4), Cm(1.4), 14, False, blue, 10)
        box(s, f"PAIR Atlas · {REGION_NAMES[pack.region]} · {pack.made_on:%d %B %Y} · {MARKING} · slide {len(deck.slides)}",
            Cm(1.2), Cm(17.9), Cm(31.4), Cm(0.9), 9, False, grey, 7)
        if view is not None and view.caveats:
            box(s, "Caveat: " + "; ".join(view.caveats), Cm(1.2), Cm(16.6), Cm(31.4), Cm(1.3), 11, True, RGBColor(0x8A, 0x15, 0x38), 8)
        return s

    def add_table(s, frame, left, top, width, max_height):
        rows, cols = len(frame) + 1, len(frame.columns)
        row_h = min(Cm(1.0), int(max_height / rows))
        shape = s.shapes.add_table(rows, cols, left, top, width, row_h * rows)
        col_w = width / cols
        size = 10 if cols <= 6 else 8
        for j, name in enumerate(frame.columns):
            shape.table.columns[j].width = int(col_w)
        cells = [(0, j, str(n)) for j, n in enumerate(frame.columns)]
        cells += [(i, j, str(v)) for i, row in enumerate(frame.itertuples(index=False), start=1) for j, v in enumerate(row)]
        for i, j, text in cells:
            cell = shape.table.cell(i, j)
            cell.text = text
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)

    s = slide_with(pack.title)
    y = Cm(3.9)
    for title, sentence, caveats in pack.headlines():
        text = f"{title}. {sentence}" + (f" [{'; '.join(caveats)}]" if caveats else "")
        rest = box(s, text, Cm(1.2), y, Cm(31.4), Cm(2.45), 14, False, None, 9)
        y += Cm(2.5)
        if rest:
            raise ValueError(f"Executive summary line does not fit: {text[:60]}")
    for key in ORDER[1:]:
        view = pack.views.get(key)
        if view is None:
            continue
        s = slide_with(view.summary, view)
        frame = pack.short_table(key)
        if key in pack.chart_pngs and len(frame.columns) > 7:
            s.shapes.add_picture(io.BytesIO(pack.chart_pngs[key]), Cm(1.2), Cm(5.2), height=Cm(6.0))
            add_table(s, frame, Cm(1.2), Cm(11.4), Cm(31.4), Cm(5.0))
        elif key in pack.chart_pngs:
            s.shapes.add_picture(io.BytesIO(pack.chart_pngs[key]), Cm(1.2), Cm(5.4), height=Cm(10.8))
            add_table(s, frame, Cm(18.2), Cm(5.4), Cm(14.4), Cm(10.8))
        else:
            add_table(s, frame, Cm(1.2), Cm(5.4), Cm(31.4), Cm(10.8))
        if key == "scenarios" and "tornado" in pack.chart_pngs:
            t = slide_with(view.chart("tornado").summary, view)
            t.shapes.add_picture(io.BytesIO(pack.chart_pngs["tornado"]), Cm(4.0), Cm(5.2), height=Cm(11.2))
        if key == "coverage":
            m = slide_with(f"Where the gaps are: {REGION_NAMES[pack.region]}", view)
            m.shapes.add_picture(io.BytesIO(pack.map_png), Cm(4.0), Cm(4.0), height=Cm(12.4))
    s = slide_with("Sources and methods")
    y = Cm(3.9)
    for key in ORDER:
        if key in pack.views:
            box(s, f"{pack.views[key].title}: {pack.views[key].source}.", Cm(1.2), y, Cm(31.4), Cm(1.5), 11, False, None, 8)
            y += Cm(1.55)
    box(s, " ".join(ATTRIBUTIONS[:3]), Cm(1.2), y, Cm(31.4), Cm(4.2), 9, False, grey, 7)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


__all__ = ["Pack", "build", "to_pdf", "to_pptx", "fit", "text_lines", "MARKING"]
