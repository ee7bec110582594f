"""The one real-browser test: the app served by ``streamlit run``, driven in Chromium.

It types into the form with the keyboard only, presses Assess, reads the result, checks
that a lesion named like an HTML tag stays text and that the CSV download is safe to open
in a spreadsheet, then reopens the share link at phone width. Screenshots go to
``artifacts/`` (ignored by git). Debian's Chromium is required: without it the test fails
(CI installs it; ``playwright install`` cannot download browsers here).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, Server
from playwright.sync_api import Dialog, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
XSS = "<img src=x onerror=alert(1)>"
FORMULA = "=1+1"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port, stopped afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    with Server(tmp_path) as running:
        yield running.url


def put(page: Page, text: str) -> None:
    """Type into the selected table cell: Enter opens the editor, Enter commits."""
    page.keyboard.press("Enter")
    page.wait_for_timeout(150)
    page.keyboard.type(text, delay=15)
    page.keyboard.press("Enter")
    page.wait_for_timeout(150)


def move(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def cell(grid: Locator, column: int, row: int) -> str:
    """What a table cell shows, read from the grid's accessible mirror."""
    return grid.locator(f"#glide-cell-{column}-{row}").first.inner_text()


def select_first_cell(grid: Locator, page: Page, column_offset: int) -> None:
    """Click a cell of the first row until the grid shows it selected.

    A click that only moves the focus into the grid (from another grid or a widget that
    just re-rendered the form) selects nothing, so the click is repeated, spaced out so
    that two clicks are not read as a double click.
    """
    box = grid.bounding_box()
    assert box is not None
    for _ in range(5):
        page.mouse.click(box["x"] + column_offset, box["y"] + 35 + 17)
        page.wait_for_timeout(700)
        if grid.locator("[aria-selected=true]").count():
            return
    pytest.fail("could not select a table cell")


def settle(page: Page) -> None:
    """Wait until every element has drawn (no loading placeholders left)."""
    for _ in range(60):
        page.wait_for_timeout(500)
        if page.get_by_test_id("stSkeleton").count() == 0:
            return


@pytest.mark.browser
def test_fill_the_form_in_chromium(server: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        """Record any alert or prompt (an injected script would raise one) and close it."""
        dialogs.append(dialog.message)
        dialog.dismiss()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 3800}, accept_downloads=True)
            page.on("dialog", dismiss)
            page.goto(server)
            grids = page.get_by_test_id("stDataFrame")
            grids.first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)  # let the grids finish their first layout
            assert "remission" in page.title()

            # Lesion table, keyboard only: 52 + 31 = 83 mm → 20 + 11 = 31 mm (−62.7 %, PR).
            lesions = grids.nth(0)
            select_first_cell(lesions, page, 80)
            put(page, FORMULA)
            move(page, "ArrowUp", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight")
            put(page, "52")
            move(page, "ArrowUp", "ArrowRight")
            put(page, "20")
            move(page, "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft")
            put(page, XSS)
            move(page, "ArrowUp", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight")
            put(page, "31")
            move(page, "ArrowUp", "ArrowRight")
            put(page, "11")
            page.wait_for_timeout(500)
            assert [cell(lesions, c, 0) for c in (1, 5, 6)] == [FORMULA, "52", "20"]
            assert [cell(lesions, c, 1) for c in (1, 5, 6)] == [XSS, "31", "11"]

            # Visit table: its label cell, then one to the right, the day of visit 1.
            visits = grids.nth(1)
            select_first_cell(visits, page, 120)
            move(page, "ArrowRight")
            put(page, "56")
            page.wait_for_timeout(300)
            assert cell(visits, 2, 0) == "56"

            # Criteria and unit, by their labels.
            page.get_by_role("radiogroup", name="Criteria").get_by_text("RECIST 1.1").click()
            unit = page.get_by_role("radiogroup", name="Unit of the sizes you type")
            unit.get_by_text("mm", exact=True).click()

            page.get_by_role("button", name="Assess").click()
            heading = page.locator("h2").filter(has_text="Partial response").first
            try:
                heading.wait_for(timeout=30_000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "browser-failure.png"))
                raise
            change = page.get_by_test_id("stMetric").filter(has_text="Change from baseline")
            assert "−62.7 %" in change.get_by_test_id("stMetricValue").inner_text()

            # The lesion named like HTML is shown as text, and nothing was injected.
            assert page.get_by_text(XSS).count() >= 1
            assert page.locator("img[src='x']").count() == 0
            assert dialogs == []

            # The CSV download cannot run as a spreadsheet formula.
            with page.expect_download() as download:
                page.get_by_role("button", name="Result (CSV)").click()
            csv_text = Path(download.value.path()).read_text(encoding="utf-8")
            # The lesions column starts with the first lesion's name: "=1+1: 20 mm ...".
            assert f",'{FORMULA}: 20 mm" in csv_text
            assert f",{FORMULA}" not in csv_text

            page.get_by_role("button", name="Make a share link").click()
            page.wait_for_url("**?case=*", timeout=30_000)
            shared = page.url
            settle(page)
            page.screenshot(path=str(ARTIFACTS / "browser-desktop.png"))

            # The share link restores the form and the result, here at phone width.
            phone = browser.new_page(viewport={"width": 375, "height": 5200}, is_mobile=True)
            phone.on("dialog", dismiss)
            phone.goto(shared)
            phone.locator("h2").filter(has_text="Partial response").first.wait_for(timeout=60_000)
            settle(phone)
            phone.screenshot(path=str(ARTIFACTS / "browser-phone.png"))
            assert phone.locator("img[src='x']").count() == 0
            assert dialogs == []
        finally:
            browser.close()
