"""The browser server's defences, as plain logic: sizes, messages, origins and the address browsers are told.

``crossroads serve`` (:mod:`game.serve`) runs each browser's session as a process fed by a websocket. Left
alone, textual-serve trusts that websocket completely; this module holds the rules :mod:`game.serve` applies
to it, kept free of aiohttp and Textual so they can be tested on their own:

* **Terminal sizes** are clamped to :data:`MAX_WIDTH` × :data:`MAX_HEIGHT` (and at least 1 × 1), in
  ``resize`` messages and in the websocket URL's ``width``/``height``: a 20,000 × 20,000 terminal made one
  session take 3 GB.
* **Messages** are parsed strictly (:func:`parse_message`): JSON within the ``serve-message`` size limit of
  :mod:`game.persist.safejson`, a known type, the right payload. Anything else raises :class:`BadMessage`
  and :func:`process_messages` closes the session with code 1003 instead of logging a traceback.
* **Origins**: a websocket is accepted only with an ``Origin`` and a ``Host`` on the :class:`Allowlist`
  (the server's own address and the public URL the teacher gave). A page on another site cannot open
  sessions, and a DNS-rebinding name is refused because its ``Host`` is not on the list.
* **The address browsers are told** (:func:`page_base_url`): the ``--public-url`` if given, else the
  address the browser itself used (the request's ``Host``), never ``0.0.0.0`` or an empty host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from game.persist import safejson

MAX_WIDTH = 500
MAX_HEIGHT = 200
DEFAULT_SIZE = (80, 24)
MAX_PING_LENGTH = 256
BAD_MESSAGE_CLOSE_CODE = 1003  # "unsupported data"
MESSAGE_TYPES = ("stdin", "resize", "ping", "blur", "focus")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")


class BadMessage(ValueError):
    """A websocket message that is not one the browser page sends; ``str()`` says what is wrong."""


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A terminal size inside 1..MAX_WIDTH columns and 1..MAX_HEIGHT rows."""
    return max(1, min(MAX_WIDTH, width)), max(1, min(MAX_HEIGHT, height))


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) <= 12:
        return int(value)
    return None


def size_from_query(query: Mapping[str, str]) -> tuple[int, int]:
    """The clamped terminal size of a websocket URL's ``width``/``height`` (defaults when absent or not numbers)."""
    width = _whole_number(query.get("width"))
    height = _whole_number(query.get("height"))
    return clamp_size(DEFAULT_SIZE[0] if width is None else width, DEFAULT_SIZE[1] if height is None else height)


def font_size(value: str | None) -> int:
    """The page's font size from its ``fontsize`` query value: 6 to 64 pixels, 16 when absent or not a number."""
    size = _whole_number(value)
    return 16 if size is None else max(6, min(64, size))


def parse_message(text: str) -> tuple[str, Any]:
    """A browser message as ``(type, payload)``, sizes clamped; raise :class:`BadMessage` for anything else.

    ``["stdin", str]``, ``["resize", {"width": int, "height": int}]``, ``["ping", str]``, ``["blur"]``,
    ``["focus"]``.
    """
    try:
        envelope = safejson.loads(text, "websocket message", "serve-message", clean=False)  # keys start with ESC
    except safejson.DamagedJSON as exc:
        raise BadMessage(exc.problem) from None
    if not isinstance(envelope, list) or not envelope or envelope[0] not in MESSAGE_TYPES:
        raise BadMessage("not a message the Crossroads page sends")
    kind = envelope[0]
    payload = envelope[1] if len(envelope) > 1 else None
    if kind == "stdin":
        if not isinstance(payload, str):
            raise BadMessage("stdin needs text")
        return kind, payload
    if kind == "resize":
        if not isinstance(payload, dict):
            raise BadMessage("resize needs a width and a height")
        width, height = _whole_number(payload.get("width")), _whole_number(payload.get("height"))
        if width is None or height is None:
            raise BadMessage("resize needs a whole-number width and height")
        return kind, clamp_size(width, height)
    if kind == "ping":
        if not isinstance(payload, str) or len(payload) > MAX_PING_LENGTH:
            raise BadMessage("ping needs a short text")
        return kind, payload
    return kind, None


class _Service(Protocol):
    async def send_bytes(self, data: bytes) -> Any: ...
    async def set_terminal_size(self, width: int, height: int) -> Any: ...
    async def blur(self) -> Any: ...
    async def focus(self) -> Any: ...


async def process_messages(websocket: Any, service: _Service, log: Callable[[str], None] | None = None) -> None:
    """Feed a session from its websocket like textual-serve does, but strictly (see :func:`parse_message`).

    Text messages only (others are ignored, as textual-serve does); the first malformed one closes the
    websocket with code 1003 and a short reason, and the session ends without a traceback.
    """
    handlers: dict[str, Callable[[Any], Awaitable[Any]]] = {
        "stdin": lambda data: service.send_bytes(data.encode("utf-8")),
        "resize": lambda size: service.set_terminal_size(*size),
        "ping": lambda data: websocket.send_json(["pong", data]),
        "blur": lambda _none: service.blur(),
        "focus": lambda _none: service.focus(),
    }
    async for message in websocket:
        if getattr(message.type, "name", "") != "TEXT":
            continue
        try:
            kind, payload = parse_message(message.data)
        except BadMessage as exc:
            if log is not None:
                log(f"closing a session after a malformed message: {exc}")
            await websocket.close(code=BAD_MESSAGE_CLOSE_CODE, message=f"malformed message: {exc}"[:120].encode())
            return
        await handlers[kind](payload)


# -- where browsers connect ---------------------------------------------------------------------------------------


def split_netloc(netloc: str | None, default_port: int | None = None) -> tuple[str, int | None] | None:
    """``(lower-case host, port)`` of ``host[:port]`` / ``[v6]:port``; None when it is not a plain address."""
    if not netloc or any(c in netloc for c in "/?#@\\ \t\r\n") or len(netloc) > 300:
        return None
    try:
        parts = urlsplit(f"//{netloc}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().rstrip("."), port if port is not None else default_port


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    host = host.strip("[]").lower()
    return host == "localhost" or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Allowlist:
    """The addresses a browser may use to reach this server: ``(host, port)`` pairs, or any IP at ``port``.

    Names (as opposed to IP addresses) are only those the server knows for itself: ``localhost`` on a
    loopback server, the bind name, and the host of the public URL. That is what stops DNS rebinding: an
    attacker's name that resolves to this machine still arrives with the attacker's name in ``Host``.
    """

    port: int
    pairs: frozenset[tuple[str, int | None]]
    any_ip: bool = False

    @classmethod
    def for_server(cls, bind_host: str, port: int, public_url: str | None = None) -> Allowlist:
        """The allowlist of a server bound to ``bind_host:port`` and announced as ``public_url``."""
        pairs: set[tuple[str, int | None]] = set()
        wildcard = bind_host in WILDCARD_HOSTS
        host = bind_host.strip("[]").lower()
        loopback = is_loopback(host)
        if loopback or wildcard:
            pairs |= {("localhost", port), ("127.0.0.1", port), ("::1", port)}
        if not wildcard:
            pairs.add((host, port))
        if public_url:
            parts = urlsplit(public_url)
            default = 443 if parts.scheme in ("https", "wss") else 80
            if parts.hostname:
                pairs.add((parts.hostname.lower(), parts.port or default))
        return cls(port, frozenset(pairs), any_ip=wildcard)

    def allows(self, netloc: str | None, default_port: int | None = None) -> bool:
        """True when ``netloc`` (a ``Host`` header or an origin's host and port) is on the list."""
        found = split_netloc(netloc, default_port)
        if found is None:
            return False
        host, port = found
        if port is None:  # a Host header without a port: 80 or 443, depending on a scheme it does not carry
            return (host, 80) in self.pairs or (host, 443) in self.pairs
        if (host, port) in self.pairs:
            return True
        return self.any_ip and port == self.port and _is_ip(host)

    def refusal(self, origin: str | None, host_header: str | None) -> str | None:
        """Why a websocket with these headers is refused, or None when both are allowed."""
        if not self.allows(host_header):
            return "this server does not answer to that address (Host not allowed)"
        if not origin or origin == "null":
            return "a websocket needs an Origin header from the Crossroads page"
        parts = urlsplit(origin)
        default = 443 if parts.scheme == "https" else 80
        if parts.scheme not in ("http", "https") or not self.allows(parts.netloc, default):
            return "websockets are accepted only from this server's own page (Origin not allowed)"
        return None


def page_base_url(public_url: str | None, host_header: str | None, secure: bool = False) -> str | None:
    """The base URL the page gives to browsers: the public URL, else the address the browser used.

    None when there is no usable ``Host`` (the caller refuses the request).
    """
    if public_url:
        return public_url.rstrip("/")
    if split_netloc(host_header) is None:
        return None
    return f"{'https' if secure else 'http'}://{host_header}"


def websocket_url(base_url: str, path: str = "/ws") -> str:
    """The ``ws://`` or ``wss://`` URL for ``path`` under ``base_url``."""
    scheme, rest = base_url.split(":", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}:{rest}{path}"


def startup_url(bind_host: str, port: int, public_url: str | None = None) -> str:
    """The address printed for the teacher at start-up: the public URL, or a placeholder for a wildcard bind."""
    if public_url:
        return public_url
    if bind_host in WILDCARD_HOSTS:
        return f"http://<this computer's address>:{port}"
    host = f"[{bind_host}]" if ":" in bind_host else bind_host
    return f"http://{host}:{port}"
