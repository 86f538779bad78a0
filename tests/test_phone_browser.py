"""The phone page in headless Chromium: joining, live votes with the reveal, a whole game with a reload, axe-core.

Needs Debian's ``chromium`` and axe-core from the npm registry (``.ci/run`` installs both and points
``CROSSROADS_AXE_JS`` at ``axe.min.js``). Outside CI a missing browser skips these tests; under ``CI=true`` it
fails them, so CI can never pass without running them.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from game.loader import load_story
from game.web.live import LiveDecision, LiveOption, LiveVote
from game.web.room import Room
from game.web.server import ClassServer
from game.web.solo import PhoneGames

ROOT = Path(__file__).resolve().parent.parent
# bypass_csp lets the test inject axe-core; the page itself keeps its strict policy.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "has_touch": True, "bypass_csp": True}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _missing("Debian's chromium")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        _missing("playwright (the test extra)")
    return str(path)


@pytest.fixture(scope="module")
def axe_js() -> str:
    candidate = os.environ.get("CROSSROADS_AXE_JS", "")
    if candidate and Path(candidate).is_file():
        return Path(candidate).read_text(encoding="utf-8")
    _missing("axe-core from npm (set CROSSROADS_AXE_JS to its axe.min.js)")
    raise AssertionError  # unreachable: _missing fails or skips


async def with_browser(chromium: str, body: Callable[[Any], Awaitable[None]]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            await body(browser)
        finally:
            await browser.close()


async def axe_violations(page: Any, axe_js: str) -> list[str]:
    await page.add_script_tag(content=axe_js)
    result = await page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in json.loads(result)]


def decision(scene: str, question: str) -> LiveDecision:
    en = (LiveOption(0, "Swap numbers", ("Borrowed trust",)), LiveOption(1, "Keep your number", (), True))
    zh = (LiveOption(0, "交换联系方式", ("借来的信任",)), LiveOption(1, "不留联系方式", (), True))
    return LiveDecision(
        scene, {"en": "Two friends", "zh": "两位朋友"}, {"en": question, "zh": "你怎么做？"}, {"en": en, "zh": zh}
    )


def test_phones_join_vote_see_the_reveal_and_follow_the_next_decision(chromium: str, axe_js: str) -> None:
    async def body(browser: Any) -> None:
        live = LiveVote()
        server = ClassServer(Room(code="ACDE"), live=live, port=0)
        url = await server.start()
        try:
            en = await (await browser.new_context(**PHONE, locale="en-GB")).new_page()
            zh = await (await browser.new_context(**PHONE, locale="zh-CN")).new_page()
            for page in (en, zh):
                await page.goto(url + "?room=ACDE")
                await page.wait_for_selector("#live-waiting:not(:empty)")
            assert await zh.inner_text("#live-waiting") == "请等老师开启下一轮投票。"
            assert await axe_violations(en, axe_js) == []
            live.open(decision("introduction", "Do you swap numbers?"))
            await en.wait_for_selector("text=Do you swap numbers?")
            await zh.wait_for_selector("text=你怎么做？")
            await en.click("#live-options li:nth-child(2) button")
            await zh.click("#live-options li:nth-child(1) button")
            await en.wait_for_selector("#live-options li:nth-child(2) button[aria-pressed=true]")
            await zh.click("#live-options li:nth-child(2) button")  # a changed vote
            await zh.wait_for_selector("#live-options li:nth-child(2) button[aria-pressed=true]")
            assert live.counts() == {0: 0, 1: 2}
            assert await axe_violations(zh, axe_js) == []
            live.close()
            live.reveal()
            await en.wait_for_selector("text=⚑ Red flag: Borrowed trust")
            await zh.wait_for_selector("text=✓ 安全出口")
            assert "2 votes" in await en.inner_text("#live-options li:nth-child(2)")
            assert await axe_violations(en, axe_js) == []
            live.open(decision("first-request", "Do you take the envelope?"))
            await en.wait_for_selector("text=Do you take the envelope?")
            assert await en.locator("#live-options button[aria-pressed=true]").count() == 0
            await en.reload()  # a reconnecting phone catches up
            await en.wait_for_selector("text=Do you take the envelope?")
        finally:
            await server.stop()

    asyncio.run(with_browser(chromium, body))


def test_a_phone_plays_a_path_to_an_ending_and_survives_a_reload(chromium: str, axe_js: str, tmp_path: Path) -> None:
    story = load_story(ROOT / "story" / "tutorial")
    records = tmp_path / "records.jsonl"

    async def body(browser: Any) -> None:
        server = ClassServer(Room(code="ACDE"), games=PhoneGames(story, records), port=0)
        url = await server.start()
        try:
            page = await (await browser.new_context(**PHONE, locale="en-US")).new_page()
            await page.goto(url + "?room=ACDE")
            await page.wait_for_selector("#start-button")
            assert await axe_violations(page, axe_js) == []
            await page.click("#start-button")
            await page.wait_for_selector("#solo-choices button")
            first_title = await page.inner_text("#solo-title")
            await page.click("#solo-choices li:nth-child(1) button")
            await page.wait_for_function(f"document.querySelector('#solo-title').textContent !== {first_title!r}")
            title = await page.inner_text("#solo-title")
            await page.reload()
            await page.wait_for_selector("#solo-choices button, #solo-ending:not([hidden])")
            assert await page.inner_text("#solo-title") == title
            assert await axe_violations(page, axe_js) == []
            for _ in range(30):
                if await page.is_visible("#solo-ending"):
                    break
                step = await page.evaluate("state.game.step")
                await page.click("#solo-choices button:not([disabled])")
                await page.wait_for_function(f"state.game.step !== {step}")
            assert await page.is_visible("#restart-button")
            assert await axe_violations(page, axe_js) == []
        finally:
            await server.stop()

    asyncio.run(with_browser(chromium, body))
    (record,) = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    assert record["ending"] is not None and record["mode"] == "solo"


def test_served_terminal_page_takes_keys_at_once_and_loads_nothing_from_outside(
    chromium: str, tmp_path: Path, free_port_and_home: tuple[int, Path]
) -> None:
    """``crossroads serve``: Enter works before any click, the page has a title, and every request stays local."""
    import socket
    import subprocess
    import sys
    import time

    port, home = free_port_and_home
    env = {**os.environ, "CROSSROADS_HOME": str(home)}
    command = [sys.executable, "-m", "game", "serve", "tutorial", "--port", str(port), "--lang", "zh"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        async def body(browser: Any) -> None:
            page = await browser.new_page(viewport={"width": 1280, "height": 720})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            await page.goto(f"http://127.0.0.1:{port}/")
            await page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30000)
            assert await page.title() == "Crossroads"
            assert await page.evaluate("document.documentElement.lang") == "zh-Hans"
            await page.wait_for_function("document.activeElement.classList.contains('xterm-helper-textarea')")
            outside = [u for u in requests if not u.startswith((f"http://127.0.0.1:{port}", "ws://127.0.0.1"))]
            assert outside == []

        asyncio.run(with_browser(chromium, body))
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def free_port_and_home(tmp_path: Path) -> tuple[int, Path]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return port, tmp_path / "home"
