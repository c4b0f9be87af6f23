"""End to end in a real browser: `align app` on loopback, driven by Debian's headless Chromium.

The app runs as a subprocess (`python -m agent.cli --home TMP app --port FREE`), so this
exercises the real command, the real Streamlit server and the real page. Chromium is
started with the flags that keep it off the network; Streamlit with the ones in
`agent/commands/app.py`. Screenshots go to test-artifacts/ (git-ignored); with
ALIGN_UPDATE_SCREENSHOTS=1 the README's screenshots in docs/screenshots/ are rewritten too.

Never `playwright install`: it downloads a browser, which this project does not do.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
STARTUP_S = 60
WAIT_MS = 60_000

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`align app` exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the app did not answer {url} within {STARTUP_S} s:\n{log.read_text()[-2000:]}")


@pytest.fixture
def seeded_home(align_home: Path) -> Path:
    """A data directory with values, a vision and a scored decision, as after some use."""
    from agent.records import Decision, DecisionCriterion, Profile
    from agent.settings import Settings
    from agent.store import Store

    store = Store.from_settings(Settings(home=align_home))
    store.save_profile(Profile(
        values=["integrity", "family", "growth"],
        vision="Lead a team that grows people and ships with integrity, and be home for dinner."))
    from agent.decision import evaluate

    store.save(evaluate(Decision(
        question="Take the regional director role or stay in my current job?",
        options=["Take the role", "Stay"],
        criteria=[DecisionCriterion(name="growth", weight=3), DecisionCriterion(name="family time", weight=4),
                  DecisionCriterion(name="pay", weight=1)],
        scores={"Take the role": {"growth": 5, "family time": 2, "pay": 4},
                "Stay": {"growth": 2, "family time": 5, "pay": 3}},
    )))
    return align_home


@pytest.fixture
def running_app(seeded_home: Path, tmp_path: Path) -> Iterator[str]:
    """`align app` on a free loopback port; yields its base URL and stops it afterwards."""
    port = free_port()
    log = tmp_path / "app.log"
    command = [sys.executable, "-m", "agent.cli", "--home", str(seeded_home), "--provider", "offline",
               "app", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=tmp_path, env=dict(os.environ), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        # The app and its Streamlit child share a new session: stop exactly that group.
        with _suppress():
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with _suppress():
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], ProcessLookupError)  # type: ignore[arg-type]


@pytest.fixture
def browser_page():
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's package "
                    "(apt-get install -y chromium); never `playwright install`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
            page = context.new_page()
            page.set_default_timeout(WAIT_MS)
            yield page
        finally:
            browser.close()


def save_shot(page, name: str) -> Path:
    """Screenshot the whole page to test-artifacts/ (and to docs/screenshots/ when asked).

    Streamlit scrolls inside its main block, so the window is made as tall as the content.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer], [data-testid=stBottom]'))"
        ".map(e => e.scrollHeight), document.body.scrollHeight)")
    page.set_viewport_size({"width": 1360, "height": max(900, min(int(height) + 40, 2600))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1360, "height": 900})
    if os.environ.get("ALIGN_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path


def settle(page) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT_MS)
    page.wait_for_timeout(300)


def send(page, text: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")


def smart_scores(page) -> list[int]:
    """The SMART scores shown on the cards, in page order."""
    return [int(m) for m in re.findall(r"(\d+)/100 · ", page.inner_text("section.main, main"))]


def test_refine_a_goal_in_the_browser(running_app: str, browser_page) -> None:
    page = browser_page
    page.goto(running_app + "/")
    page.get_by_text("Welcome to Align").wait_for()
    assert "offline" in page.get_by_test_id("stSidebar").inner_text()

    send(page, "My goal is to get better at delegating")
    page.locator(".align-bar").first.wait_for()
    settle(page)
    first = smart_scores(page)
    assert first, "no SMART card after the first message"
    assert page.locator(".align-seg").count() == 5

    send(page, "Hand off the weekly ops report and two client reviews to my leads by March 31")
    page.wait_for_function("() => document.querySelectorAll('.align-bar').length >= 2")
    settle(page)
    scores = smart_scores(page)
    assert len(scores) >= 2 and scores[-1] > first[0], scores
    assert page.locator("text=Something went wrong").count() == 0
    save_shot(page, "chat")

    page.goto(running_app + "/decisions")
    page.get_by_text("Take the regional director role").first.wait_for()
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
    page.get_by_text("Save this matrix").wait_for()
    settle(page)
    assert "The matrix favours" in page.inner_text("main")
    save_shot(page, "decision")
