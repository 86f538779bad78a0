"""The class dashboard (``crossroads class``) counts phones, where they are and the endings they reach."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from game.loader import load_story
from game.tui.class_app import ClassApp
from game.web.room import Room
from game.web.server import ClassServer
from game.web.solo import PhoneGames

ROOT = Path(__file__).resolve().parent.parent


def test_dashboard_counts_phones_and_endings(tmp_path: Path) -> None:
    story = load_story(ROOT / "story" / "tutorial")
    records = tmp_path / "records.jsonl"
    server = ClassServer(Room(code="ACDE"), games=PhoneGames(story, records), port=0)
    app = ClassApp(story, server, "en", records)

    async def body() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            base = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession(headers={"Origin": base}) as client:

                async def call(path: str, body: dict) -> dict:
                    async with client.post(base + path, json=body) as response:
                        assert response.status == 200
                        return await response.json()

                tokens = [(await call("/api/join", {"room": "ACDE"}))["token"] for _ in range(3)]
                for token in tokens:
                    await call("/api/play", {"token": token, "action": "start"})
                view = await call("/api/play", {"token": tokens[0], "action": "choose", "step": 0, "choice": 2})
                assert view["ending"] is not None
            app.refresh_counts()
            await pilot.pause()
            counts = str(app.query_one("#class-counts").render())
            assert "3 phones joined · 2 playing · 1 at an ending" in counts
            endings = str(app.query_one("#class-endings").render())
            ending_title = story.scenes[view["scene"]].title.get("en", "en")
            assert f"{ending_title} (Safe ending)" in endings
            where = str(app.query_one("#class-where").render())
            assert "  2 " in where and story.scenes[story.start].title.get("en", "en") in where
            await pilot.press("q")
            await pilot.pause()
        # quitting stopped the server: the two unfinished games did not count (no choice yet), the ending did
        assert len(records.read_text(encoding="utf-8").splitlines()) == 1

    asyncio.run(body())
