"""The classroom server over real HTTP on a loopback port: joining, live votes, individual play, the gates."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from game.loader import load_story
from game.web.live import LiveDecision, LiveOption, LiveVote, Phase
from game.web.room import Room
from game.web.server import MAX_BODY_BYTES, ClassServer
from game.web.solo import PhoneGames

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "story" / "tutorial"


def decision(scene: str = "s1", options: int = 3) -> LiveDecision:
    opts = tuple(LiveOption(i, f"Option {i + 1}", ("Borrowed trust",) if i == 0 else ()) for i in range(options))
    return LiveDecision(scene, {"en": "A title", "zh": "标题"}, {"en": "What now?", "zh": "怎么办？"}, {"en": opts})


@asynccontextmanager
async def running(server: ClassServer) -> AsyncIterator[tuple[ClassServer, aiohttp.ClientSession, str]]:
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession(headers={"Origin": base}) as client:
        try:
            yield server, client, base
        finally:
            await server.stop()


def run(coro_fn: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro_fn())


async def join(client: aiohttp.ClientSession, base: str, code: str, token: str | None = None) -> tuple[int, Any]:
    async with client.post(f"{base}/api/join", json={"room": code, "token": token}) as response:
        return response.status, await response.json()


def live_server(**kwargs: Any) -> ClassServer:
    return ClassServer(Room(code="ABCD", **kwargs), live=LiveVote(), port=0)


def test_join_needs_the_room_code() -> None:
    async def body() -> None:
        async with running(live_server()) as (_server, client, base):
            assert await join(client, base, "WXYZ") == (403, {"error": "code"})
            status, data = await join(client, base, "ab-cd")
            assert status == 200 and data["mode"] == "live" and len(data["token"]) >= 20
            again = await join(client, base, "ABCD", data["token"])
            assert again == (200, {"token": data["token"], "mode": "live"})

    run(body)


def test_device_cap_gives_a_clear_refusal() -> None:
    async def body() -> None:
        async with running(live_server(max_devices=2)) as (_server, client, base):
            assert (await join(client, base, "ABCD"))[0] == 200
            assert (await join(client, base, "ABCD"))[0] == 200
            assert await join(client, base, "ABCD") == (503, {"error": "full"})

    run(body)


async def vote(client: aiohttp.ClientSession, base: str, token: str, decision_id: object, option: object) -> int:
    async with client.post(f"{base}/api/vote", json={"token": token, "decision": decision_id, "option": option}) as r:
        await r.read()
        return r.status


def test_a_vote_a_changed_vote_a_double_vote_and_a_closed_decision() -> None:
    async def body() -> None:
        server = live_server()
        async with running(server) as (_server, client, base):
            _, a = await join(client, base, "ABCD")
            _, b = await join(client, base, "ABCD")
            live = server.live
            assert live is not None
            assert await vote(client, base, a["token"], 1, 0) == 409  # nothing open yet
            first = live.open(decision())
            assert await vote(client, base, a["token"], first, 0) == 200
            assert await vote(client, base, a["token"], first, 0) == 200  # a double tap counts once
            assert await vote(client, base, b["token"], first, 0) == 200
            assert live.counts() == {0: 2, 1: 0, 2: 0}
            assert await vote(client, base, b["token"], first, 2) == 200  # changed
            assert live.counts() == {0: 1, 1: 0, 2: 1}
            assert await vote(client, base, b["token"], first, 7) == 400
            assert await vote(client, base, b["token"], first, True) == 400
            live.close()
            assert await vote(client, base, a["token"], first, 1) == 409
            second = live.open(decision("s2"))
            assert await vote(client, base, a["token"], first, 1) == 409  # stale decision
            assert await vote(client, base, a["token"], second, 1) == 200
            assert await vote(client, base, "forged-token", second, 1) == 401
            assert live.counts() == {0: 0, 1: 1, 2: 0}

    run(body)


def test_foreign_origin_and_host_are_refused() -> None:
    async def body() -> None:
        server = live_server()
        async with running(server) as (_server, client, base):
            _, a = await join(client, base, "ABCD")
            server.live.open(decision())
            headers = {"Origin": "http://evil.example"}
            async with client.post(f"{base}/api/vote", json={"token": a["token"]}, headers=headers) as r:
                assert r.status == 403
            async with client.get(f"{base}/", headers={"Host": "evil.example:80"}) as r:
                assert r.status == 421
            async with aiohttp.ClientSession() as bare:  # a POST without any Origin
                async with bare.post(f"{base}/api/join", json={"room": "ABCD"}) as r:
                    assert r.status == 403
            assert server.live.counts() == {0: 0, 1: 0, 2: 0}

    run(body)


@pytest.mark.parametrize(
    ("payload", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"room": NaN}', "application/json", 400),
        (b"[" * 100_000, "application/json", 413),
        (b'{"room": "' + b"A" * (MAX_BODY_BYTES + 10) + b'"}', "application/json", 413),
        (b"room=ABCD", "application/x-www-form-urlencoded", 415),
        (b'{"room": 5}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
    ],
)
def test_malformed_and_oversized_bodies_get_a_4xx(payload: bytes, content_type: str, status: int) -> None:
    async def body() -> None:
        async with running(live_server()) as (_server, client, base):
            headers = {"Content-Type": content_type}
            async with client.post(f"{base}/api/join", data=payload, headers=headers) as r:
                assert r.status == status
                assert "Traceback" not in await r.text()

    run(body)


async def read_event(stream: aiohttp.StreamReader) -> dict[str, Any]:
    data = None
    while True:
        line = (await asyncio.wait_for(stream.readline(), 5)).decode()
        if line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "\n" and data is not None:
            return data


def test_a_reconnecting_page_catches_up_and_sees_the_reveal() -> None:
    async def body() -> None:
        server = live_server()
        async with running(server) as (_server, client, base):
            _, a = await join(client, base, "ABCD")
            live = server.live
            first = live.open(decision())
            await vote(client, base, a["token"], first, 1)
            url = f"{base}/api/events?token={a['token']}&lang=en"
            async with client.get(url) as r:  # a page that reconnects gets the state at once, with its vote
                state = await read_event(r.content)
            assert state["phase"] == "open" and state["my_vote"] == 1 and state["decision"]["id"] == first
            assert state["decision"]["options"][0]["red_flags"] == []  # flags stay hidden until the reveal
            async with client.get(url) as r:
                await read_event(r.content)
                live.close()
                live.reveal()
                state = await read_event(r.content)
                while state["phase"] != "revealed":
                    state = await read_event(r.content)
            options = state["decision"]["options"]
            assert [o["count"] for o in options] == [0, 1, 0]
            assert options[0]["red_flags"] == ["Borrowed trust"]
            async with client.get(f"{base}/api/events?token=nope") as r:
                assert r.status == 401

    run(body)


def test_two_hundred_phones_vote_and_the_tally_is_exact() -> None:
    async def body() -> None:
        server = live_server(max_devices=200)
        server.limiter.rate = server.address_limiter.rate = 1e6
        server.address_limiter.burst = 1e6
        async with running(server) as (_server, client, base):
            tokens = [(await join(client, base, "ABCD"))[1]["token"] for _ in range(200)]
            first = server.live.open(decision(options=4))
            statuses = await asyncio.gather(
                *(vote(client, base, token, first, n % 4) for n, token in enumerate(tokens)),
                *(vote(client, base, token, first, (n + 1) % 4) for n, token in enumerate(tokens[:40])),
            )
            assert set(statuses) == {200}
            expected = {0: 50, 1: 50, 2: 50, 3: 50}
            for n in range(40):  # the first 40 changed their vote from n % 4 to (n + 1) % 4
                expected[n % 4] -= 1
                expected[(n + 1) % 4] += 1
            assert server.live.counts() == expected
            assert server.live.phase is Phase.OPEN

    run(body)


def test_rate_limit_answers_429() -> None:
    async def body() -> None:
        server = live_server()
        server.limiter.rate, server.limiter.burst = 0.001, 3
        async with running(server) as (_server, client, base):
            _, a = await join(client, base, "ABCD")
            first = server.live.open(decision())
            statuses = [await vote(client, base, a["token"], first, 0) for _ in range(5)]
            assert statuses == [200, 200, 200, 429, 429]

    run(body)


async def play(client: aiohttp.ClientSession, base: str, token: str, action: str, **extra: Any) -> tuple[int, Any]:
    async with client.post(f"{base}/api/play", json={"token": token, "action": action, "lang": "en", **extra}) as r:
        return r.status, await r.json()


def test_sixty_phones_each_play_a_whole_path_and_every_record_is_exact(tmp_path: Path, crossroads_home: Path) -> None:
    story = load_story(TUTORIAL)
    records = tmp_path / "records.jsonl"
    games = PhoneGames(story, records)

    async def one_phone(client: aiohttp.ClientSession, base: str, n: int) -> tuple[str, list[str]]:
        _, joined = await join(client, base, "ABCD")
        token = joined["token"]
        status, view = await play(client, base, token, "state")
        assert view["intro"]["content_note_html"].startswith("<p>")  # the content note comes first
        status, view = await play(client, base, token, "start")
        scenes = []
        while view["ending"] is None:
            enabled = [c["number"] for c in view["choices"] if c["enabled"]]
            scenes.append(view["scene"])
            status, view = await play(
                client, base, token, "choose", step=view["step"], choice=enabled[n % len(enabled)]
            )
            assert status == 200
        assert (await play(client, base, token, "choose", step=0, choice=1))[0] == 409  # an old tab's tap
        return token, [*scenes, view["scene"]]

    async def body() -> list[tuple[str, list[str]]]:
        server = ClassServer(Room(code="ABCD"), games=games, port=0)
        server.limiter.rate = server.address_limiter.rate = 1e6
        server.address_limiter.burst = 1e6
        async with running(server) as (_server, client, base):
            return await asyncio.gather(*(one_phone(client, base, n) for n in range(60)))

    paths = asyncio.run(body())
    written = {line["id"]: line for line in map(json.loads, records.read_text(encoding="utf-8").splitlines())}
    assert len(written) == 60
    for token, path in paths:
        game = games.games[token]
        record = written[game.session.record_id]
        taken = [(step.scene, step.choice) for step in game.session.play.history]
        assert [(c["scene"], c["choice"]) for c in record["choices"]] == taken
        assert [c["scene"] for c in record["choices"]] + [record["ending"]["scene"]] == path
        assert record["mode"] == "solo" and record["ending"]["scene"] == game.session.play.scene.id
    # phones' games live in the server's memory: no autosave, no ending counted on the teacher's machine
    assert not [path for path in crossroads_home.rglob("*") if path.is_file()]


def test_a_phone_that_reloads_returns_to_its_game_and_an_unfinished_game_is_recorded_on_stop(tmp_path: Path) -> None:
    story = load_story(TUTORIAL)
    records = tmp_path / "records.jsonl"

    async def body() -> None:
        server = ClassServer(Room(code="ABCD"), games=PhoneGames(story, records), port=0)
        async with running(server) as (_server, client, base):
            _, joined = await join(client, base, "ABCD")
            token = joined["token"]
            assert (await play(client, base, token, "choose", step=0, choice=1))[0] == 409  # not started yet
            _, view = await play(client, base, token, "start")
            _, view = await play(client, base, token, "choose", step=0, choice=1)
            # the page reloads: it rejoins with its stored token and asks for the state
            assert (await join(client, base, "ABCD", token))[1]["token"] == token
            _, again = await play(client, base, token, "state")
            assert again["step"] == 1 and again["scene"] == view["scene"]
            _, back = await play(client, base, token, "undo")
            assert back["step"] == 0 and back["can_undo"] is False
            _, view = await play(client, base, token, "choose", step=0, choice=1)
            assert view["ending"] is None
        # the server stopped with the game unfinished: its record says abandoned, with the one choice kept

    asyncio.run(body())
    (record,) = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    assert record["ending"] is None and len(record["choices"]) == 1 and record["choices"][0]["choice"] == 0


def test_live_decision_carries_every_language_with_flags_and_exits() -> None:
    from game.engine import Playthrough
    from game.web.views import live_decision, live_summary

    story = load_story(ROOT / "story" / "class-monitor")
    play = Playthrough(story, "en")
    live = live_decision(play)
    assert set(live.options) == {"en", "zh"}
    assert [o.index for o in live.options["en"]] == [o.index for o in live.options["zh"]]
    for option in live.options["en"]:
        choice = story.scenes[play.scene.id].choices[option.index]
        kinds = [story.tags[t].kind for t in choice.tags if t in story.tags]
        assert len(option.red_flags) == kinds.count("red-flag")
        assert option.safe_exit == ("safe-exit" in kinds)
    assert live.title["zh"] == play.title("zh")
    while not play.is_ending:
        enabled = [n for n, option in enumerate(play.choices()) if option.enabled]
        play.choose(enabled[-1])
    summary = live_summary(play)
    assert set(summary) == {"en", "zh"} and "<h2>" in summary["en"] and "<script" not in summary["zh"]


def test_a_class_at_a_lesson_start_point_plays_from_there_and_records_only_what_phones_chose(tmp_path: Path) -> None:
    story = load_story(ROOT / "story" / "class-monitor")
    lesson = story.lessons[0]
    records = tmp_path / "records.jsonl"

    async def body() -> None:
        server = ClassServer(Room(code="ABCD"), games=PhoneGames(story, records, lesson=lesson.id), port=0)
        async with running(server) as (_server, client, base):
            _, joined = await join(client, base, "ABCD")
            token = joined["token"]
            _, intro = await play(client, base, token, "state")
            assert intro["intro"]["recap_html"].startswith("<p>")  # the recap is read before play
            _, view = await play(client, base, token, "start")
            assert view["step"] == len(lesson.start.replay)  # the game stands after the replayed steps
            assert view["can_undo"] is False  # never back into the replayed start
            _, view = await play(client, base, token, "choose", step=view["step"], choice=1)
            assert view["can_undo"] is True

    asyncio.run(body())
    (record,) = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    assert record["ending"] is None and len(record["choices"]) == 1  # the replayed steps are not choices
