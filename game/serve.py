"""Browser play for a class: the same Textual app through textual-serve, one process per browser tab.

Binds to 127.0.0.1 unless told otherwise, and warns loudly when bound to another address (anyone who can
reach it can open sessions: there is no login). A cap on concurrent sessions (``--max-sessions``) protects
the machine: past it, the page says the class is full and a websocket is closed with the same message.

Each session is a separate Python process running ``crossroads play``; its memory is measured by
``benchmarks/serve_memory.py`` and documented in ``docs/classroom.md``.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from game import serve_guard

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FULL_CLOSE_CODE = 1013  # "try again later"
DEFAULT_MAX_SESSIONS = 40


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed when the server is reachable from other machines, else ``None``."""
    if is_loopback(host):
        return None
    return (
        f"crossroads: warning: serving on {host}:{port}, reachable from other machines. Anyone who can reach this "
        "address can open a session (there is no login). Use this only on a trusted classroom network, and stop "
        "the server (Ctrl+C) after class."
    )


def full_message(max_sessions: int) -> str:
    """What a browser is told when the session cap is reached."""
    return (
        f"The class is full: {max_sessions} session(s) are open, the most this server allows. "
        "Please wait for a place to free up, or ask your teacher."
    )


def play_command(story: str | None, lang: str | None, facilitator: bool) -> str:
    """The shell command each browser session runs (arguments quoted)."""
    argv = [sys.executable, "-m", "game", "play"]
    if story:
        argv.append(story)
    if lang:
        argv += ["--lang", lang]
    if facilitator:
        argv.append("--facilitator")
    return " ".join(shlex.quote(arg) for arg in argv)


class CrossroadsServer(Server):
    """A textual-serve server with a concurrent-session cap and a quieter start-up banner."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        max_sessions: int,
        title: str = "Crossroads",
        public_url: str | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.max_sessions = max_sessions
        self.active = 0
        self.given_url = public_url
        self.allowlist = serve_guard.Allowlist.for_server(host, port, public_url)

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browsers."""
        self.console.print(
            f"Crossroads is serving on {serve_guard.startup_url(self.host, self.port, self.given_url)} "
            f"(at most {self.max_sessions} sessions). Press Ctrl+C to stop."
        )

    async def handle_index(self, request: web.Request) -> Any:
        """The page of the app, or a plain "class is full" page (HTTP 503) past the cap."""
        if self.active >= self.max_sessions:
            return web.Response(
                status=503,
                text=f"<!DOCTYPE html><meta charset='utf-8'><title>Crossroads</title>"
                f"<p style='font:20px system-ui;margin:3em'>{full_message(self.max_sessions)}</p>",
                content_type="text/html",
            )
        base = serve_guard.page_base_url(self.given_url, request.headers.get("Host"), request.secure)
        if base is None or not self.allowlist.allows(request.headers.get("Host")):
            return web.Response(status=421, text="This server does not answer to that address.")
        return aiohttp_jinja2.render_template("app_index.html", request, self.page_context(request, base))

    def page_context(self, request: web.Request, base: str) -> dict[str, Any]:
        """What the page template needs, with URLs the browser can reach (see :mod:`game.serve_guard`)."""
        return {
            "font_size": serve_guard.font_size(request.query.get("fontsize")),
            "app_websocket_url": serve_guard.websocket_url(base),
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
        """Strict message handling: sizes clamped, a malformed message closes the session (no traceback)."""
        await serve_guard.process_messages(websocket, app_service, self.console.print)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a session, unless the cap is reached (then close with code 1013 and the message).

        Refused (HTTP 403) unless its Origin and Host are on the allowlist; the URL's size is clamped.
        """
        refusal = self.allowlist.refusal(request.headers.get("Origin"), request.headers.get("Host"))
        if refusal is not None:
            return web.Response(status=403, text=refusal)  # type: ignore[return-value]
        width, height = serve_guard.size_from_query(request.query)
        request = request.clone(rel_url=request.rel_url.with_query(width=width, height=height))
        if self.active >= self.max_sessions:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=FULL_CLOSE_CODE, message=full_message(self.max_sessions)[:120].encode())
            return websocket
        self.active += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.active -= 1


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    story: str | None = None,
    lang: str | None = None,
    facilitator: bool = False,
    public_url: str | None = None,
) -> None:
    """Run the server until Ctrl+C."""
    warning = exposure_warning(host, port)
    if warning:
        print(warning, file=sys.stderr)
    server = CrossroadsServer(play_command(story, lang, facilitator), host, port, max_sessions, public_url=public_url)
    server.serve()
