"""Many real browser sessions against one app server, for tests/test_load.py and benchmarks.

The server and the form-filling follow tests/test_browser.py (the one-session test): start
``streamlit run app.py`` on a free loopback port and wait for ``/_stcore/health``; type
into the data-editor grids with the keyboard (Enter opens a cell, Enter commits), choose
the criteria and the unit by their labels, press Assess and wait for the result card.
Here the same is done with Playwright's asyncio API so that one Chromium drives many
isolated contexts (separate cookies and storage: separate Streamlit sessions) at once.

The server runs in a scratch working directory (holding only a copy of
``.streamlit/config.toml``) with ``HOME`` and ``TMPDIR`` pointing at empty scratch
folders, so :meth:`Server.written` can show that it wrote nothing to disk.

Each session enters a different patient (:func:`patient`): a lesion name that carries a
random token, and sizes chosen so that sessions differ in category and percentage. The
expected category and percentage are worked out with plain arithmetic from RECIST 1.1's
thresholds (≥ 30 % smaller = PR; ≥ 20 % and ≥ 5 mm larger = PD; otherwise SD), not by
remission.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from playwright.async_api import Browser, Locator, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    """One ``streamlit run app.py`` on loopback, in scratch folders it should not touch."""

    scratch: Path
    url: str = ""
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)
    _log: IO[bytes] | None = None
    _before: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.work = self.scratch / "cwd"
        self.home = self.scratch / "home"
        self.tmp = self.scratch / "tmp"
        self.log_path = self.scratch / "server.log"

    def start(self, timeout: float = 90.0) -> str:
        for folder in (self.work / ".streamlit", self.home, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", self.work / ".streamlit" / "config.toml")
        self._before = snapshot(self.work, self.home, self.tmp)
        port = free_port()
        env = {
            **os.environ,
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "PYTHONDONTWRITEBYTECODE": "1",  # Python's own caches are not the app's writes
            "PYTHONPATH": str(ROOT),
        }
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=self.work,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early: {self.log()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit was not healthy within {timeout:g} s")
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def written(self) -> list[str]:
        """Every file the server created, changed or removed in its folders since start."""
        after = snapshot(self.work, self.home, self.tmp)
        changed = [p for p in after if p not in self._before or after[p] != self._before[p]]
        removed = [p for p in self._before if p not in after]
        return sorted(changed + removed)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Path → (size, mtime in ns) of every file under ``folders``."""
    found: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def files_containing(folder: Path, tokens: list[str], since: float) -> list[str]:
    """Files under ``folder`` changed after ``since`` whose bytes contain any token.

    Used on the repository, where other work may change files: only a file holding what
    a session typed can be the server's doing.
    """
    skip = {".git", ".venv", "node_modules"}
    found = []
    encoded = [t.encode() for t in tokens]
    for path in folder.rglob("*"):
        if any(part in skip for part in path.parts) or not path.is_file():
            continue
        try:
            if path.stat().st_mtime < since or path.stat().st_size > 50_000_000:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if any(token in data for token in encoded):
            found.append(str(path))
    return found


# --------------------------------------------------------------------------- the patients


@dataclass(frozen=True)
class Patient:
    """What one session types, and what it must see (worked out by hand, not by remission)."""

    session: int
    lesion: str
    baseline_mm: int
    follow_up_mm: int
    day: int

    @property
    def change(self) -> float:
        return (self.follow_up_mm - self.baseline_mm) / self.baseline_mm * 100

    @property
    def category(self) -> str:
        """RECIST 1.1 with one target and no nadir below baseline."""
        if self.follow_up_mm == 0:
            return "Complete response"
        if self.change <= -30:
            return "Partial response"
        if self.change >= 20 and self.follow_up_mm - self.baseline_mm >= 5:
            return "Progressive disease"
        return "Stable disease"

    @property
    def change_text(self) -> str:
        """As the result card's metric shows it: one decimal, a real minus sign, ' %'."""
        sign = "−" if self.change < 0 else "+"
        return f"{sign}{abs(self.change):.1f} %"


def patient(session: int) -> Patient:
    """Session ``session``'s patient: PR, SD, PD, CR in turn, every size different.

    Baselines are 40, 41, 42, ... mm. PR: 20 mm smaller (−50 % to −33.9 % for baselines
    of 40 to 59 mm); SD: 3 mm smaller; PD: 12 mm larger (+30 % to +20.3 %, and ≥ 5 mm);
    CR: 0 mm. Apart from the CRs (all −100 %), no two sessions show the same percentage.
    """
    baseline = 40 + session
    follow_up = (baseline - 20, baseline - 3, baseline + 12, 0)[session % 4]
    token = secrets.token_hex(3)
    return Patient(session, f"S{session:02d}x{token}", baseline, follow_up, 28 + session)


# --------------------------------------------------------------------------- one session


@dataclass
class Outcome:
    """What one session saw, and how long it took."""

    patient: Patient
    seconds_to_form: float = 0.0
    """From opening the page to its form drawn and ready to type into."""
    seconds_typing: float = 0.0
    seconds_to_result: float = 0.0
    """From pressing Assess to the result card."""
    seconds_total: float = 0.0
    heading: str = ""
    change: str = ""
    own_name_shown: bool = False
    others_seen: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def correct(self) -> bool:
        return (
            not self.error
            and self.patient.category in self.heading
            and self.change == self.patient.change_text
            and self.own_name_shown
        )


async def _settle(page: Page, grid: Locator) -> None:
    """Wait until the grids stop moving (their first layout re-mounts them once)."""
    await page.wait_for_timeout(1000)
    last = None
    for _ in range(60):
        box = await grid.bounding_box()
        if box is not None and box == last:
            return
        last = box
        await page.wait_for_timeout(250)


async def _selected(grid: Locator) -> tuple[int, int] | None:
    """(column, row) of the grid's selected cell, read from its accessible mirror."""
    cell = grid.locator("[aria-selected=true]")
    if not await cell.count():
        return None
    found = re.fullmatch(r"glide-cell-(\d+)-(\d+)", await cell.first.get_attribute("id") or "")
    return (int(found[1]), int(found[2])) if found else None


async def _select(grid: Locator, page: Page, column_offset: int, column: int, row: int) -> None:
    """Select a cell: click into the first row, then one arrow key at a time.

    After each click or key the grid is given time to show the move before the next one:
    under load a burst of keys lands late and overshoots, and two quick clicks are read
    as a double click (which opens, then drops, the cell editor).
    """
    for _ in range(30):
        at = await _selected(grid)
        if at == (column, row):
            return
        if at is None:
            await grid.scroll_into_view_if_needed()
            box = await grid.bounding_box()
            if box is None:
                raise RuntimeError("the grid has no box")
            await page.mouse.click(box["x"] + column_offset, box["y"] + 35 + 17)
        else:
            dx, dy = column - at[0], row - at[1]
            if dy:
                await page.keyboard.press("ArrowDown" if dy > 0 else "ArrowUp")
            else:
                await page.keyboard.press("ArrowRight" if dx > 0 else "ArrowLeft")
        for _ in range(20):
            await page.wait_for_timeout(100)
            if await _selected(grid) != at:
                break
    raise RuntimeError(f"could not select cell {column},{row}")


async def _cell(grid: Locator, column: int, row: int) -> str:
    return str(await grid.locator(f"#glide-cell-{column}-{row}").first.inner_text())


async def _put(  # noqa: PLR0917 - a grid cell is addressed by all six
    grid: Locator, page: Page, column_offset: int, column: int, row: int, text: str
) -> None:
    """Type ``text`` into one cell and wait until the grid shows it (retried under load).

    Enter opens the cell's editor (an input in the page's overlay), the text is filled
    in, Enter commits it, and the grid's accessible mirror must then show it: every step
    waits for the page rather than for a fixed time, and nothing is typed twice.
    """
    editor = page.locator("#portal .gdg-input")
    for _ in range(8):
        if await _cell(grid, column, row) == text:
            return
        await _select(grid, page, column_offset, column, row)
        await page.wait_for_timeout(300)  # the grid takes the keyboard once it has drawn
        await page.keyboard.press("Enter")
        try:
            await editor.wait_for(state="visible", timeout=10_000)
            # A rerun can re-mount the grid and close the editor between these two
            # steps; then the whole step is tried again rather than waited on.
            await editor.fill(text, timeout=10_000)
        except PlaywrightTimeout:
            await page.keyboard.press("Escape")
            continue
        await page.keyboard.press("Enter")
        for _ in range(50):
            if await _cell(grid, column, row) == text:
                await page.wait_for_timeout(300)  # the first key after a commit is dropped
                return
            await page.wait_for_timeout(100)
    raise RuntimeError(f"cell {column},{row} reads {await _cell(grid, column, row)!r}")


async def _choose(page: Page, group: str, label: str, index: int) -> None:
    """Click a radio option by its label until the option is checked."""
    radios = page.get_by_role("radiogroup", name=group)
    for _ in range(5):
        await radios.get_by_text(label, exact=True).first.click()
        try:
            await radios.get_by_role("radio").nth(index).wait_for(state="attached")
            for _ in range(50):
                if await radios.get_by_role("radio").nth(index).is_checked():
                    return
                await page.wait_for_timeout(100)
        except PlaywrightTimeout:
            continue
    raise RuntimeError(f"could not choose {label!r} in {group!r}")


async def run_session(
    browser: Browser,
    url: str,
    who: Patient,
    everyone: list[str],
    *,
    timeout_ms: int,
    shots: Path | None = None,
) -> Outcome:
    """One isolated context: enter the patient, press Assess, read what the page shows."""
    outcome = Outcome(who)
    began = time.perf_counter()
    context = await browser.new_context(
        viewport={"width": 1000, "height": 1000}, reduced_motion="reduce"
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(timeout_ms)
        page.on("dialog", lambda dialog: outcome.dialogs.append(dialog.message))
        await page.goto(url)
        grids = page.get_by_test_id("stDataFrame")
        await grids.nth(1).wait_for()
        await _settle(page, grids.nth(1))
        outcome.seconds_to_form = time.perf_counter() - began

        lesions, visits = grids.nth(0), grids.nth(1)
        # Lesion table: name (column 1), baseline (5), the follow-up visit (6); visit day.
        await _put(lesions, page, 80, 1, 0, who.lesion)
        await _put(lesions, page, 80, 5, 0, str(who.baseline_mm))
        await _put(lesions, page, 80, 6, 0, str(who.follow_up_mm))
        await _put(visits, page, 120, 2, 0, str(who.day))
        await _choose(page, "Criteria", "RECIST 1.1", 3)
        await _choose(page, "Unit of the sizes you type", "mm", 0)
        typed = [await _cell(lesions, c, 0) for c in (1, 5, 6)] + [await _cell(visits, 2, 0)]
        expected = [who.lesion, str(who.baseline_mm), str(who.follow_up_mm), str(who.day)]
        if typed != expected:
            raise RuntimeError(f"the form reads {typed}, not {expected}")

        pressed = time.perf_counter()
        outcome.seconds_typing = pressed - began - outcome.seconds_to_form
        await page.get_by_role("button", name="Assess").click()
        heading = page.locator("h2").filter(has_text=who.category).first
        try:
            await heading.wait_for()
        except Exception:
            headings = await page.locator("h2").all_inner_texts()
            alerts = await page.get_by_test_id("stAlert").all_inner_texts()
            if shots is not None:
                await page.screenshot(path=str(shots / f"{who.lesion}.png"), full_page=True)
            raise RuntimeError(
                f"no '{who.category}' result; headings {headings}; messages {alerts}"
            ) from None
        outcome.seconds_to_result = time.perf_counter() - pressed
        outcome.heading = await heading.inner_text()
        metric = page.get_by_test_id("stMetric").filter(has_text="Change from baseline")
        outcome.change = (await metric.get_by_test_id("stMetricValue").inner_text()).strip()
        body = await page.locator("body").inner_text()
        outcome.own_name_shown = who.lesion in body
        outcome.others_seen = [name for name in everyone if name != who.lesion and name in body]
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {str(error)[:1500]}"
    finally:
        outcome.seconds_total = time.perf_counter() - began
        await context.close()
    return outcome


async def run_sessions(
    url: str, patients: list[Patient], timeout_ms: int = 60_000, shots: Path | None = None
) -> list[Outcome]:
    """All sessions at once, in one Chromium with one context each."""
    everyone = [p.lesion for p in patients]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            return list(
                await asyncio.gather(
                    *(
                        run_session(browser, url, p, everyone, timeout_ms=timeout_ms, shots=shots)
                        for p in patients
                    )
                )
            )
        finally:
            await browser.close()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
