"""Browser play for a class: the same Textual app through textual-serve, one process per browser tab.

Binds to 127.0.0.1 unless told otherwise, and warns loudly when bound to another address (anyone who can
reach it can open sessions: there is no login). A cap on concurrent sessions (``--max-sessions``) protects
the machine: past it, the page says the class is full and a websocket is closed with the same message.

Each session is a separate Python process running ``crossroads play``; its memory is measured by
``benchmarks/serve_memory.py`` and documented in ``docs/classroom.md``.

A class in the browser: every browser gets a random id kept in the page's address (``/?b=<id>``; a first visit
is redirected there), so a page reload or a dropped connection brings the student back to their own game. Each
id has its own data folder (saves, settings, endings) under a folder made for this run of the server and removed
when it stops; the teacher's own data folder is not touched, except that every session's anonymous record is
appended to the teacher's records file (printed at start), so ``crossroads report`` reads the class directly.
A closed tab or dropped connection ends its session's process, which records an unfinished game as abandoned;
so does stopping the server (Ctrl+C, SIGTERM or SIGHUP), which first ends every session.

Its defences (:mod:`game.serve_guard`): the page and the websocket answer only to an address on the server's
allowlist (``Host``, and the websocket's ``Origin``), terminal sizes are clamped, a malformed message closes
its session, and the page tells browsers an address they can reach (the ``--public-url``, else the one the
browser used), never ``0.0.0.0``.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from game import serve_guard
from game.classroom.records import RECORDS_ENV, records_path
from game.paths import BROWSERS_ENV
from game.serve_guard import is_loopback
from game.web.strings import LANGUAGES, text

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FULL_CLOSE_CODE = 1013  # "try again later"
DEFAULT_MAX_SESSIONS = 40
BROWSER_PARAM = "b"
BROWSER_ID = re.compile(r"[0-9a-f]{32}")
STOP_SECONDS = 10.0  # how long a session may take to record its game when the server stops


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed when the server is reachable from other machines, else ``None``."""
    if is_loopback(host):
        return None
    return (
        f"crossroads: warning: serving on {host}:{port}, reachable from other machines. Anyone who can reach this "
        "address can open a session (there is no login). Use this only on a trusted classroom network, and stop "
        "the server (Ctrl+C) after class."
    )


def full_message(max_sessions: int, lang: str | None = None) -> str:
    """What a browser is told when the session cap is reached, in the server's language."""
    return text(lang or "en", "serve_full", n=max_sessions)


PAGE_TEMPLATES = Path(__file__).parent / "serve_page"
"""Crossroads' own page for a session (no web font, a title, keyboard focus on load), in place of textual-serve's."""


def play_command(story: str | None, lang: str | None, facilitator: bool, lesson: str | None = None) -> str:
    """The shell command each browser session runs (arguments quoted)."""
    argv = [sys.executable, "-m", "game", "play"]
    if story:
        argv.append(story)
    if lang:
        argv += ["--lang", lang]
    if facilitator:
        argv.append("--facilitator")
        if lesson:
            argv += ["--lesson", lesson]
    return " ".join(shlex.quote(arg) for arg in argv)


def new_browser_id() -> str:
    """A random id for one browser (128 bits, hex)."""
    return secrets.token_hex(16)


class CrossroadsServer(Server):
    """A textual-serve server for a class: a session cap, one data folder per browser, clean stops."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        max_sessions: int,
        title: str = "Crossroads",
        public_url: str | None = None,
        lang: str | None = None,
    ) -> None:
        super().__init__(
            command, host=host, port=port, title=title, public_url=public_url, templates_path=PAGE_TEMPLATES
        )
        self.lang = lang if lang in LANGUAGES else "en"
        self.max_sessions = max_sessions
        self.active = 0
        self.services: set[AppService] = set()
        self.given_url = public_url
        self.allowlist = serve_guard.Allowlist.for_server(host, port, public_url)

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, plus the websocket of a given browser id."""
        app = await super()._make_app()
        app.router.add_get("/ws/{browser}", self.handle_websocket, name="browser-websocket")
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browsers and where the class's records go; stop cleanly on SIGHUP too."""
        print(
            f"Crossroads is serving on {serve_guard.startup_url(self.host, self.port, self.given_url)} "
            f"(at most {self.max_sessions} sessions). "
            "Press Ctrl+C to stop.\n"
            f"Every session's anonymous record is added to {os.environ.get(RECORDS_ENV)}\n"
            f"Each browser's saves and settings are kept in {os.environ.get(BROWSERS_ENV)} until the server stops.",
            flush=True,
        )
        hangup = getattr(signal, "SIGHUP", None)
        if hangup is not None:
            try:
                asyncio.get_running_loop().add_signal_handler(hangup, self.request_exit)
            except (NotImplementedError, RuntimeError):
                pass

    async def on_shutdown(self, app: web.Application) -> None:
        """End every session (each records its unfinished game as abandoned) before the server goes."""
        stops = [asyncio.wait_for(service.stop(), STOP_SECONDS) for service in list(self.services)]
        await asyncio.gather(*stops, return_exceptions=True)

    async def handle_index(self, request: web.Request) -> Any:
        """The page of the app for one browser id (a first visit is sent to a new id), or "class is full"."""
        if self.active >= self.max_sessions:
            return web.Response(
                status=503,
                text=f"<!DOCTYPE html><html lang='{self.lang}'><meta charset='utf-8'><title>{self.title}</title>"
                f"<p style='font:20px system-ui;margin:3em'>{full_message(self.max_sessions, self.lang)}</p>",
                content_type="text/html",
            )
        base = serve_guard.page_base_url(self.given_url, request.headers.get("Host"), request.secure)
        if base is None or not self.allowlist.allows(request.headers.get("Host")):
            return web.Response(status=421, text="This server does not answer to that address.")
        browser = request.query.get(BROWSER_PARAM, "")
        if not BROWSER_ID.fullmatch(browser):
            raise web.HTTPFound(request.rel_url.update_query({BROWSER_PARAM: new_browser_id()}))
        return aiohttp_jinja2.render_template("app_index.html", request, self.page_context(request, base, browser))

    def page_context(self, request: web.Request, base: str, browser: str) -> dict[str, Any]:
        """What the page template needs, with URLs the browser can reach (see :mod:`game.serve_guard`)."""
        path = str(request.app.router["browser-websocket"].url_for(browser=browser))
        return {
            "font_size": serve_guard.font_size(request.query.get("fontsize")),
            "app_websocket_url": serve_guard.websocket_url(base, path),
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
            "page": {
                "lang": "zh-Hans" if self.lang == "zh" else "en",
                "title": self.title,
                "loading": text(self.lang, "serve_loading"),
                "ended": text(self.lang, "serve_ended"),
                "restart": text(self.lang, "serve_restart"),
            },
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run one session for the browser id in the address (a new id on the bare ``/ws``), unless the cap is
        reached (then close with code 1013 and the message).

        Refused (HTTP 403) unless its Origin and Host are on the allowlist; the URL's size is clamped.
        """
        refusal = self.allowlist.refusal(request.headers.get("Origin"), request.headers.get("Host"))
        if refusal is not None:
            return web.Response(status=403, text=refusal)  # type: ignore[return-value]
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.active >= self.max_sessions:
            message = full_message(self.max_sessions, self.lang).encode()[:120].decode("utf-8", "ignore").encode()
            await websocket.close(code=FULL_CLOSE_CODE, message=message)
            return websocket
        browser = request.match_info.get("browser") or new_browser_id()
        if not BROWSER_ID.fullmatch(browser):
            await websocket.close(code=1008, message=b"not a Crossroads browser id")
            return websocket
        service = AppService(
            f"{self.command} --browser {browser}",
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.active += 1
        self.services.add(service)
        try:
            await service.start(*serve_guard.size_from_query(request.query))
            await serve_guard.process_messages(websocket, service, self.console.print)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            self.services.discard(service)
            self.active -= 1
            await service.stop()  # the app is told to quit: it records an unfinished game as abandoned
        return websocket


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    story: str | None = None,
    lang: str | None = None,
    facilitator: bool = False,
    public_url: str | None = None,
    lesson: str | None = None,
) -> None:
    """Run the server until Ctrl+C (``lesson``: facilitator sessions teach that lesson)."""
    warning = exposure_warning(host, port)
    if warning:
        print(warning, file=sys.stderr)
    browsers = Path(tempfile.mkdtemp(prefix="crossroads-class-"))
    # The sessions inherit these: every browser's records go to the teacher's file, its data under ``browsers``.
    saved = {name: os.environ.get(name) for name in (RECORDS_ENV, BROWSERS_ENV)}
    os.environ[RECORDS_ENV] = str(records_path())
    os.environ[BROWSERS_ENV] = str(browsers)
    try:
        command = play_command(story, lang, facilitator, lesson)
        server = CrossroadsServer(command, host, port, max_sessions, public_url=public_url, lang=lang)
        server.serve()
    finally:
        shutil.rmtree(browsers, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
