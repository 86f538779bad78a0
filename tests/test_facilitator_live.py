"""Live votes in facilitator mode: phones vote over HTTP and the projector's vote panel counts them."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.screens.join_overlay import JoinOverlay
from game.web.live import LiveVote, Phase
from game.web.room import Room
from game.web.server import ClassServer
from tests.test_facilitator import SIZE, FacilitatorApp, records, sync


class LiveApp(FacilitatorApp):
    """The facilitator screen with a classroom server, as ``play --facilitator --live`` starts it."""

    def __init__(self) -> None:
        super().__init__()
        self.class_server = ClassServer(Room(code="ACDE"), live=LiveVote(), port=0)


async def post(client: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with client.post(url, json=body) as response:
        return response.status, await response.json()


@sync
async def test_phone_votes_reach_the_vote_panel_and_the_class_record() -> None:
    app = LiveApp()
    server = app.class_server
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinOverlay)  # how to join, when the class session starts
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, FacilitatorScreen)
        live = server.live
        assert live is not None and live.phase is Phase.OPEN
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession(headers={"Origin": base}) as client:
            tokens = [(await post(client, f"{base}/api/join", {"room": "ACDE"}))[1]["token"] for _ in range(5)]
            options = live.decision.indices()
            for n, token in enumerate(tokens):
                vote = {"token": token, "decision": live.decision_id, "option": options[0 if n < 3 else 1]}
                assert (await post(client, f"{base}/api/vote", vote))[0] == 200
            await pilot.pause()
            tally = screen.vote.tally
            assert tally.counts[options[0]] == 3 and tally.counts[options[1]] == 2
            assert "5 voted" in str(screen.query_one("#fac-live").render())
            await pilot.press("plus")  # the teacher adds a show of hands to the selected option
            await pilot.pause()
            vote = {"token": tokens[3], "decision": live.decision_id, "option": options[0]}  # a phone changes
            assert (await post(client, f"{base}/api/vote", vote))[0] == 200
            await pilot.pause()
            assert tally.counts[options[0]] == 5 and tally.counts[options[1]] == 1  # 4 phones + 1 by hand
            await pilot.press("enter")  # follow the majority: the vote closes and phones see the reveal
            await pilot.pause()
            assert live.phase is Phase.REVEALED
            late = {"token": tokens[4], "decision": live.decision_id, "option": options[0]}
            assert (await post(client, f"{base}/api/vote", late))[0] == 409
            await pilot.press("enter")  # on to the next decision: a new vote opens for the phones
            await pilot.pause()
            assert live.phase in (Phase.OPEN, Phase.WAITING, Phase.FINISHED)
        await pilot.press("escape", "escape")
        await pilot.pause()
    written = records()
    assert written and written[-1]["mode"] == "facilitator"
    first_vote = written[-1]["votes"][0]
    counted = dict(map(tuple, first_vote["counts"]))
    assert counted[options[0]] == 5 and counted[options[1]] == 1 and sum(counted.values()) == 6
    assert "token" not in json.dumps(written[-1])  # counts only: nothing about the devices
