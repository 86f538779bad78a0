"""The served app against a hostile browser, on a loopback port: foreign origins, huge resizes, bad messages."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from benchmarks.serve_memory import descendants, memory_kb
from tests import test_serve

aiohttp = pytest.importorskip("aiohttp")
MEMORY_LIMIT = 200 * 1024 * 1024


server = test_serve.server  # the same loopback server (tutorial story, one session at most)


async def _read_until(socket, needle: bytes, seconds: float) -> bytes:
    screen = b""
    deadline = time.monotonic() + seconds
    while needle not in screen and time.monotonic() < deadline:
        message = await socket.receive(timeout=seconds)
        if message.type == aiohttp.WSMsgType.BINARY:
            screen += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    return screen


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="memory is read from /proc (Linux)")
def test_foreign_origin_refused_and_a_huge_resize_is_clamped(server) -> None:
    port, process = server
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> tuple[int, int, int, int, int]:
        async with aiohttp.ClientSession() as client:
            with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
                await client.ws_connect(f"{base}/ws", origin="http://evil.example")
            with pytest.raises(aiohttp.WSServerHandshakeError) as no_origin:
                await client.ws_connect(f"{base}/ws")
            with pytest.raises(aiohttp.WSServerHandshakeError) as rebound:
                await client.ws_connect(f"{base}/ws", origin=base, headers={"Host": f"rebind.example:{port}"})
            socket = await client.ws_connect(f"{base}/ws?width=20000&height=20000", origin=base)
            assert b"Prize" in await _read_until(socket, b"Prize", 40)
            await socket.send_json(["resize", {"width": 20000, "height": 20000}])
            await asyncio.sleep(6)  # the 3 GB blow-up took seconds; give it time to show
            peak = 1024 * sum(memory_kb(pid)[1] for pid in descendants(process.pid))
            await socket.send_str("[" * 1000)
            closing = await socket.receive(timeout=20)
            while closing.type == aiohttp.WSMsgType.BINARY:  # the screen drawn before the message was read
                closing = await socket.receive(timeout=20)
            return foreign.value.status, no_origin.value.status, rebound.value.status, peak, closing.data

    foreign, no_origin, rebound, peak, close_code = asyncio.run(scenario())
    assert (foreign, no_origin, rebound) == (403, 403, 403)
    print(f"server and session RSS after a 20000x20000 resize: {peak / 2**20:.0f} MiB")
    assert 0 < peak < MEMORY_LIMIT, f"sessions use {peak / 2**20:.0f} MiB"
    assert close_code == 1003
    deadline = time.monotonic() + 20
    while descendants(process.pid) and time.monotonic() < deadline:  # the closed session's process ends
        time.sleep(0.2)
    assert not descendants(process.pid)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=15)
    assert b"Traceback" not in err


def test_page_tells_browsers_the_address_they_used(server) -> None:
    port, _process = server

    async def fetch(host: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as client:
            async with client.get(f"http://127.0.0.1:{port}/", headers={"Host": host}) as response:
                return response.status, await response.text()

    status, page = asyncio.run(fetch(f"localhost:{port}"))
    assert status == 200 and f"ws://localhost:{port}/ws" in page and "0.0.0.0" not in page
    status, _page = asyncio.run(fetch(f"rebind.example:{port}"))
    assert status == 421
