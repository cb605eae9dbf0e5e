"""Every page passes an axe-core scan in headless Chromium with no serious or critical
violations (axe-core from the npm registry, injected by Playwright)."""

from __future__ import annotations


import pytest

from tests.browser import ROOT, wait_rendered

pytestmark = pytest.mark.browser
AXE = ROOT / "tests" / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = [
    "", "map", "map?view=Coverage+and+gaps", "map?view=What-if", "map?view=Service+register",
    "reach", "barriers", "value", "value?vfm_view=Compare", "briefing", "sources",
]


@pytest.mark.parametrize("path", VIEWS)
def test_no_serious_or_critical_violations(server, page, path):
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (bash tests/setup_axe.sh)")
    page.goto(f"{server}/{path}")
    wait_rendered(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []
    assert page.outside == []


def test_keyboard_reaches_the_controls(server, page):
    """Tabbing from the top of the Overview page reaches the region control, the index
    control, the charts' download button (which opens from the keyboard and offers each chart
    as PNG and SVG) and the table's expander, in that order, without a mouse."""
    page.goto(server)
    wait_rendered(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    read = "() => { const e = document.activeElement; return (e.getAttribute('aria-label') || e.innerText || e.getAttribute('role') || e.tagName).slice(0, 160); }"
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(read))
    assert "Both ICBs" in seen and "IoD 2025" in seen  # region and index: buttons in a group
    assert any("Every area as a table" in s for s in seen)  # the table under the charts opens from the keyboard
    region_at = seen.index("Both ICBs")
    menu_at = next(i for i, s in enumerate(seen) if "Download the chart" in s)
    assert region_at < seen.index("IoD 2025") < menu_at < next(i for i, s in enumerate(seen) if "Every area as a table" in s)
    # the download button opens its panel from the keyboard; the PNG and SVG buttons are next (the page
    # opened afresh: tabbing starts from its top again)
    page.goto(server)
    wait_rendered(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(menu_at + 1):
        page.keyboard.press("Tab")
    assert "Download the chart" in page.evaluate(read)
    page.keyboard.press("Enter")
    page.locator('[data-testid="stPopoverBody"] button').last.wait_for()  # its buttons drawn (as a person sees them before tabbing on)
    inside = []
    for _ in range(5):
        page.keyboard.press("Tab")
        inside.append(page.evaluate(read))
    # into the panel: each of the two charts as PNG, then SVG; Tab from its last button closes it and returns to
    # the button (dashboard/app.py)
    assert ["(PNG)" in inside[0], "(SVG)" in inside[1], "(PNG)" in inside[2], "(SVG)" in inside[3]] == [True] * 4, inside
    assert "Share of LSOAs" in inside[0] and "share of LSOAs" in inside[2] and "Download the charts" in inside[4], inside
    assert page.locator('[data-testid="stPopoverBody"]').count() == 0
