"""The browser server's rules (game/serve_guard.py): sizes at the limit and past it, messages, origins, URLs."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from game import serve_guard
from game.serve_guard import MAX_HEIGHT, MAX_WIDTH, Allowlist, BadMessage, clamp_size, parse_message


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((MAX_WIDTH, MAX_HEIGHT), (500, 200)),
        ((MAX_WIDTH + 1, MAX_HEIGHT + 1), (500, 200)),
        ((20_000, 20_000), (500, 200)),
        ((0, -5), (1, 1)),
        ((80, 24), (80, 24)),
    ],
)
def test_sizes_are_clamped(size: tuple[int, int], expected: tuple[int, int]) -> None:
    assert clamp_size(*size) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (80, 24)),
        ({"width": "500", "height": "200"}, (500, 200)),
        ({"width": "501", "height": "201"}, (500, 200)),
        ({"width": "20000", "height": "9" * 5000}, (500, 24)),
        ({"width": "abc", "height": "1.5"}, (80, 24)),
    ],
)
def test_sizes_in_the_websocket_url_are_clamped(query: dict[str, str], expected: tuple[int, int]) -> None:
    assert serve_guard.size_from_query(query) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('["stdin", "q"]', ("stdin", "q")),
        ('["stdin", "\\u001bOQ"]', ("stdin", "\x1bOQ")),  # F2: key presses keep their ESC
        ('["stdin", "\\u001b[A\\r\\u007f"]', ("stdin", "\x1b[A\r\x7f")),  # up arrow, Enter, Backspace
        ('["resize", {"width": 500, "height": 200}]', ("resize", (500, 200))),
        ('["resize", {"width": 501, "height": 201}]', ("resize", (500, 200))),
        ('["resize", {"width": 20000, "height": 20000}]', ("resize", (500, 200))),
        ('["ping", "1700000000000"]', ("ping", "1700000000000")),
        ('["ping", "' + "x" * 256 + '"]', ("ping", "x" * 256)),
        ('["blur"]', ("blur", None)),
        ('["focus"]', ("focus", None)),
    ],
)
def test_messages_the_page_sends(message: str, expected: tuple) -> None:
    assert parse_message(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "",
        "not json",
        "{}",
        "[]",
        '["exec", "rm"]',
        '["stdin", 5]',
        '["resize", {"width": "x", "height": 2}]',
        '["resize", {"width": true, "height": 2}]',
        '["resize", [1, 2]]',
        '["resize", {"width": 1e400, "height": 2}]',
        '["resize", {"width": ' + "9" * 5000 + ', "height": 2}]',
        "[" * 100_000,
        '["ping", "' + "x" * 257 + '"]',
        '["stdin", "' + "x" * 70_000 + '"]',
        '["ping", NaN]',
    ],
)
def test_malformed_messages_are_refused(message: str) -> None:
    with pytest.raises(BadMessage):
        parse_message(message)


@dataclass
class _Message:
    data: str
    type: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(name="TEXT"))


class _Socket:
    def __init__(self, messages: list[str]) -> None:
        self.messages = [_Message(m) for m in messages]
        self.sent: list[object] = []
        self.closed: tuple[int, bytes] | None = None

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        for message in self.messages:
            if self.closed:
                return
            yield message

    async def send_json(self, data: object) -> None:
        self.sent.append(data)

    async def close(self, code: int, message: bytes) -> None:
        self.closed = (code, message)


class _Service:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def send_bytes(self, data: bytes) -> None:
        self.calls.append(("stdin", data))

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.calls.append(("resize", width, height))

    async def blur(self) -> None:
        self.calls.append(("blur",))

    async def focus(self) -> None:
        self.calls.append(("focus",))


def test_a_session_is_fed_strictly_and_closed_on_the_first_malformed_message() -> None:
    socket = _Socket(
        [
            json.dumps(["resize", {"width": 20000, "height": 20000}]),
            json.dumps(["stdin", "1"]),
            json.dumps(["stdin", "\x1b[B"]),  # the down arrow reaches the app with its ESC
            json.dumps(["ping", "7"]),
            "[" * 1_000,
            json.dumps(["stdin", "never"]),
        ]
    )
    service = _Service()
    logged: list[str] = []
    asyncio.run(serve_guard.process_messages(socket, service, logged.append))
    assert service.calls == [("resize", 500, 200), ("stdin", b"1"), ("stdin", b"\x1b[B")]
    assert socket.sent == [["pong", "7"]]
    assert socket.closed is not None and socket.closed[0] == 1003 and b"nested deeper" in socket.closed[1]
    assert logged and "malformed" in logged[0]


LOOPBACK = Allowlist.for_server("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("http://evil.example:8000", "evil.example:8000", False),  # DNS rebinding: the name is not ours
        (None, "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", "127.0.0.1:9999", False),
        ("http://127.0.0.1:8000", None, False),
        ("http://127.0.0.1:8000", "127.0.0.1:8000/x", False),
        ("file://", "127.0.0.1:8000", False),
    ],
)
def test_loopback_server_allowlist(origin: str | None, host: str | None, allowed: bool) -> None:
    assert (LOOPBACK.refusal(origin, host) is None) is allowed


def test_wildcard_server_allows_its_addresses_and_the_public_url_but_no_other_names() -> None:
    allow = Allowlist.for_server("0.0.0.0", 8000, "https://class.example.org")
    assert allow.refusal("http://192.168.1.20:8000", "192.168.1.20:8000") is None
    assert allow.refusal("https://class.example.org", "class.example.org") is None
    assert allow.refusal("http://rebind.evil.example:8000", "rebind.evil.example:8000") is not None
    assert allow.refusal("http://192.168.1.20:9000", "192.168.1.20:8000") is not None


def test_a_server_bound_to_one_address_allows_only_that_one() -> None:
    allow = Allowlist.for_server("192.168.1.20", 8000)
    assert allow.refusal("http://192.168.1.20:8000", "192.168.1.20:8000") is None
    assert allow.refusal("http://10.0.0.1:8000", "10.0.0.1:8000") is not None


@pytest.mark.parametrize(
    ("public", "host", "expected"),
    [
        (None, "192.168.1.20:8000", "ws://192.168.1.20:8000/ws"),
        (None, "[::1]:8000", "ws://[::1]:8000/ws"),
        ("https://class.example.org/", "0.0.0.0:8000", "wss://class.example.org/ws"),
    ],
)
def test_browsers_are_told_an_address_they_can_reach(public: str | None, host: str, expected: str) -> None:
    base = serve_guard.page_base_url(public, host)
    assert base is not None and serve_guard.websocket_url(base) == expected


@pytest.mark.parametrize("host", [None, "", "a b", "x/y"])
def test_no_usable_host_gives_no_url(host: str | None) -> None:
    assert serve_guard.page_base_url(None, host) is None


def test_font_size_is_bounded() -> None:
    assert serve_guard.font_size(None) == 16
    assert serve_guard.font_size("9" * 5000) == 16
    assert serve_guard.font_size("1000") == 64 and serve_guard.font_size("1") == 6


def test_startup_url_never_shows_a_wildcard() -> None:
    assert serve_guard.startup_url("0.0.0.0", 8000) == "http://<this computer's address>:8000"
    assert serve_guard.startup_url("", 8000).startswith("http://<")
    assert serve_guard.startup_url("::1", 8000) == "http://[::1]:8000"
    assert serve_guard.startup_url("0.0.0.0", 8000, "http://10.0.0.5:8000") == "http://10.0.0.5:8000"


def test_public_url_must_be_http(capsys) -> None:
    from game.cli import main

    assert main(["serve", "--public-url", "ftp://x"]) == 2
    assert "--public-url must start with http:// or https://" in capsys.readouterr().err
