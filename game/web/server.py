"""The classroom web server: one aiohttp application on the caller's event loop, serving the phone page.

Two modes share it: ``live`` (phones vote on the facilitator's decisions, :class:`~game.web.live.LiveVote`)
and ``solo`` (each phone plays its own game, :class:`~game.web.solo.PhoneGames`). Every request passes the
same gates, in order: the Host allowlist, the Origin check for anything that changes state, the per-device
and per-address rate limits, a small body limit, and strict validation of the JSON body. Bad input gets a
4xx with a short JSON reason, never a traceback; nothing is written to disk but the anonymous records.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from aiohttp import web

from game import serve_guard
from game.web.address import ANY_ADDRESS, public_base_url, room_address
from game.web.live import LiveVote, Phase, VoteRefused
from game.web.room import BadRoomCode, RateLimiter, Room, RoomFull
from game.web.solo import NotOffered, PhoneGames, StaleStep
from game.web.strings import LANGUAGES, pick_language, strings_for

MAX_BODY_BYTES = 4096
STATIC_FILES = {"phone.js": "text/javascript", "phone.css": "text/css"}
EVENT_KEEPALIVE_SECONDS = 15.0
_log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


@dataclass(slots=True)
class ClassServer:
    """The server's state and its request handlers; :meth:`start` binds it, :meth:`stop` closes it."""

    room: Room
    live: LiveVote | None = None
    games: PhoneGames | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    limiter: RateLimiter = field(default_factory=RateLimiter)
    address_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(rate=40.0, burst=200.0))
    _allowlist: serve_guard.Allowlist | None = None
    _runner: web.AppRunner | None = None
    _streams: set[asyncio.Queue[int]] = field(default_factory=set)
    _unsubscribe: Callable[[], None] | None = None

    # -- life cycle ---------------------------------------------------------------------------------------

    def application(self) -> web.Application:
        """The aiohttp application (routes and gates), for :meth:`start` or a test client."""
        app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[self._gates])
        app.router.add_get("/", self.page)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/api/strings", self.strings)
        app.router.add_post("/api/join", self.join)
        app.router.add_get("/api/events", self.events)
        app.router.add_post("/api/vote", self.vote)
        app.router.add_post("/api/play", self.play)
        return app

    async def start(self) -> str:
        """Bind and serve on the running event loop; return the address to show students."""
        app = self.application()
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host or None, self.port)
        await site.start()
        if self.port == 0:  # the port the OS picked
            self.port = int(self._runner.addresses[0][1])
        self.allow(self.host, self.port)
        if self.live is not None:
            self._unsubscribe = self.live.subscribe(lambda _live: self._notify())
        return self.join_url

    async def stop(self) -> None:
        """Close every stream and the listening socket; unfinished phone games are recorded as abandoned."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        for queue in list(self._streams):
            queue.put_nowait(-1)
        if self.games is not None:
            self.games.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def allow(self, bind_host: str, port: int) -> None:
        """Answer requests that name this server bound at ``bind_host:port`` (and its public URL).

        A server bound to every address also answers at this machine's address on the room's network.
        """
        announced = self.public_url
        address = room_address() if bind_host in ANY_ADDRESS and not announced else None
        if address:
            announced = f"http://{address}:{port}"
        self._allowlist = serve_guard.Allowlist.for_server(bind_host, port, announced)

    @property
    def join_url(self) -> str:
        """The page address to show students (without the room code)."""
        return public_base_url(self.host, self.port, self.public_url) + "/"

    def _notify(self) -> None:
        version = self.live.version if self.live else 0
        for queue in list(self._streams):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(version)

    # -- gates --------------------------------------------------------------------------------------------

    @web.middleware
    async def _gates(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        allowlist, host, origin = self._allowlist, request.headers.get("Host"), request.headers.get("Origin")
        if allowlist is None or not allowlist.allows(host):
            return _error(421, "host")
        # anything that changes state must come from this server's own page; a GET may carry no Origin
        if (request.method != "GET" or origin is not None) and allowlist.refusal(origin, host) is not None:
            return _error(403, "origin")
        peer = request.remote or "?"
        if not self.address_limiter.allow(peer):
            return _error(429, "rate")
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception:  # a bug must not show a traceback to a phone; it is logged for the teacher
            _log.exception("classroom server: request failed")
            return _error(500, "server")

    async def _json(self, request: web.Request) -> dict[str, Any] | web.Response:
        """The request's JSON object, or the 4xx to answer with."""
        if request.content_type != "application/json":
            return _error(415, "json")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "size")
        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            return _error(400, "json")
        return body if isinstance(body, dict) else _error(400, "json")

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        """The JSON object of a request from a device that joined (its token known and within its rate)."""
        body = await self._json(request)
        if isinstance(body, web.Response):
            return body
        token = body.get("token")
        if not self.room.knows(token):
            return _error(401, "token")
        if not self.limiter.allow(token):
            return _error(429, "rate")
        return body

    # -- pages --------------------------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.StreamResponse:
        """The phone page (static HTML; the page fetches its strings and state)."""
        lang = pick_language(request.headers.get("Accept-Language"))
        html = _package_text("phone.html").replace("{{lang}}", lang)
        return web.Response(text=html, content_type="text/html", headers=_page_headers())

    async def static(self, request: web.Request) -> web.StreamResponse:
        """The page's script and style sheet, from package data only."""
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            return _error(404, "not-found")
        return web.Response(text=_package_text(name), content_type=STATIC_FILES[name], headers=_page_headers())

    async def strings(self, request: web.Request) -> web.StreamResponse:
        """The page's strings in one language."""
        lang = request.query.get("lang", "en")
        return web.json_response({"lang": lang if lang in LANGUAGES else "en", "strings": strings_for(lang)})

    # -- joining ------------------------------------------------------------------------------------------

    async def join(self, request: web.Request) -> web.StreamResponse:
        """Admit a phone with the room code; a phone that rejoins keeps its token (and so its game)."""
        body = await self._json(request)
        if isinstance(body, web.Response):
            return body
        code, token = body.get("room"), body.get("token")
        if not isinstance(code, str) or (token is not None and not isinstance(token, str)):
            return _error(400, "fields")
        try:
            token = self.room.join(code, token)
        except BadRoomCode:
            return _error(403, "code")
        except RoomFull:
            return _error(503, "full")
        mode = "live" if self.live is not None else "solo"
        return web.json_response({"token": token, "mode": mode})

    # -- live votes ---------------------------------------------------------------------------------------

    def live_state(self, token: str, lang: str) -> dict[str, Any]:
        """What one phone sees of the live vote now."""
        live = self.live
        if live is None:
            return {"phase": "none"}
        state: dict[str, Any] = {"phase": live.phase.value, "version": live.version}
        decision = live.decision
        if decision is not None:
            revealed = live.phase is Phase.REVEALED
            options = decision.options.get(lang) or next(iter(decision.options.values()))
            counts = live.counts()
            state["decision"] = {
                "id": live.decision_id,
                "title": decision.title.get(lang, ""),
                "question": decision.question.get(lang, ""),
                "options": [
                    {
                        "index": option.index,
                        "number": n,
                        "text": option.text,
                        "red_flags": list(option.red_flags) if revealed else [],
                        "safe_exit": option.safe_exit if revealed else False,
                        "count": counts.get(option.index, 0) if revealed else None,
                    }
                    for n, option in enumerate(options, start=1)
                ],
            }
            state["my_vote"] = live.vote_of(token)
        if live.phase is Phase.FINISHED:
            state["summary_html"] = live.summary.get(lang) or next(iter(live.summary.values()), "")
        return state

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the live state now, then again after every change (with keep-alives)."""
        token = request.query.get("token")
        lang = request.query.get("lang", "en")
        if self.live is None:
            return _error(404, "not-live")
        if not self.room.knows(token):
            return _error(401, "token")
        assert isinstance(token, str)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        self._streams.add(queue)
        try:
            version = await self._send_state(response, token, lang)
            while True:
                try:
                    signal = await asyncio.wait_for(queue.get(), EVENT_KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if signal < 0:
                    break
                if self.live.version != version:
                    version = await self._send_state(response, token, lang)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._streams.discard(queue)
        return response

    async def _send_state(self, response: web.StreamResponse, token: str, lang: str) -> int:
        assert self.live is not None
        state = self.live_state(token, lang)
        data = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        await response.write(f"id: {state['version']}\nevent: state\ndata: {data}\n\n".encode())
        return int(state["version"])

    async def vote(self, request: web.Request) -> web.StreamResponse:
        """One phone's vote (or changed vote) for the open decision."""
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        if self.live is None:
            return _error(404, "not-live")
        token = body.get("token")
        if not isinstance(token, str):
            return _error(401, "token")
        try:
            self.live.vote(token, body.get("decision"), body.get("option"))
        except VoteRefused as refused:
            return _error(409 if refused.reason in ("closed", "stale") else 400, refused.reason)
        return web.json_response({"ok": True, "my_vote": self.live.vote_of(token)})

    # -- individual play ----------------------------------------------------------------------------------

    async def play(self, request: web.Request) -> web.StreamResponse:
        """One phone's game: ``state``, ``start``, ``choose`` (``step``, ``choice``), ``undo`` or ``restart``."""
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        if self.games is None:
            return _error(404, "not-solo")
        token, action, lang = body.get("token"), body.get("action"), body.get("lang", "en")
        if not isinstance(token, str):
            return _error(401, "token")
        if lang not in LANGUAGES:
            return _error(400, "lang")
        games = self.games
        try:
            if action == "state":
                game = games.game_for(token, lang)
            elif action == "start":
                game = games.game_for(token, lang)
                game.start()
            elif action == "choose":
                game = games.choose(token, lang, body.get("step"), body.get("choice"))
            elif action == "undo":
                game = games.game_for(token, lang)
                game.undo()
            elif action == "restart":
                game = games.restart(token, lang)
            else:
                return _error(400, "action")
        except StaleStep:
            return _error(409, "stale")
        except NotOffered:
            return _error(400, "choice")
        return web.json_response(game.view(lang))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


@cache
def _package_text(name: str) -> str:
    return resources.files("game.web").joinpath("static", name).read_text(encoding="utf-8")


def _page_headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
