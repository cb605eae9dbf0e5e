"""Meeting mode walked as a presenter would, in headless Chromium: for each region, Next through
every step and Previous back to the first, at a projector's 1280x720 and at 1920x1080. Fails on
an exception box, on content leaving the viewport horizontally, and on two content boxes that
overlap. Screenshots of every step are kept in tests/screenshots/meeting/ (gitignored)."""

from __future__ import annotations

import pytest

from dashboard import meeting
from tests.browser import ROOT, wait_rendered

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "screenshots" / "meeting"
CONTENT = ", ".join(f'[data-testid="stMain"] [data-testid="{t}"]' for t in (
    "stHeading", "stMarkdown", "stHtml", "stImage", "stDataFrame", "stButton", "stAlert", "stCaptionContainer",
))

LAYOUT_JS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)]
        .filter(el => el.checkVisibility() && !el.parentElement.closest(selector))
        .map(el => { const r = el.getBoundingClientRect(); return {id: el.dataset.testid, text: (el.innerText || '').slice(0, 40),
                     left: r.left, right: r.right, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY}; })
        .filter(b => b.right - b.left > 1 && b.bottom - b.top > 1);
    return {boxes, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth};
}"""


def _check_layout(page, label: str) -> None:
    layout = page.evaluate(LAYOUT_JS, CONTENT)
    assert layout["scrollWidth"] <= layout["width"] + 1, f"{label}: the page scrolls horizontally"
    boxes = layout["boxes"]
    assert boxes, f"{label}: nothing drawn"
    for b in boxes:
        assert b["left"] >= -1 and b["right"] <= layout["width"] + 1, f"{label}: {b['id']} '{b['text']}' leaves the viewport"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert overlap_x <= 2 or overlap_y <= 2, f"{label}: {a['id']} '{a['text']}' overlaps {b['id']} '{b['text']}'"


@pytest.mark.parametrize("region", ["NENC", "BNSSG"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_meeting_walk_fits_the_room(server, browser, region, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    steps = meeting.DEFAULT_SEQUENCE
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(f"{server}/meeting?meeting=1&meeting_region={region}&steps={','.join(steps)}&step=1")
        wait_rendered(page)
        order = list(range(len(steps))) + list(range(len(steps) - 2, -1, -1))
        for n, index in enumerate(order):
            if n:
                page.get_by_role("button", name="Next" if index > order[n - 1] else "Previous").click()
                page.wait_for_url(f"**step={index + 1}**", timeout=30000)
            wait_rendered(page)
            label = f"{region} {size[0]}x{size[1]} step {index + 1}"
            assert page.locator('[data-testid="stException"]').count() == 0, label
            title = meeting.STEPS[steps[index]].title
            assert page.get_by_text(f"{region} · Step {index + 1} of {len(steps)}: {title}").count() == 1, label
            page.wait_for_timeout(300)  # charts finish their layout
            _check_layout(page, label)
            if n < len(steps):
                page.screenshot(path=str(SHOTS / f"{region}_{size[0]}x{size[1]}_step{index + 1}.png"))
        assert page.get_by_role("button", name="Previous").is_disabled()
    finally:
        context.close()
