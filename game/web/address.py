"""Where phones reach the classroom server: this machine's address on the room's network, and the join URL.

Which requests the server answers (its Host and Origin allowlist) is decided by :mod:`game.serve_guard`, the
same rules as ``crossroads serve``.
"""

from __future__ import annotations

import ipaddress
import socket

ANY_ADDRESS = ("0.0.0.0", "::", "")


def room_address() -> str | None:
    """This machine's IPv4 address on the room's network (a private, non-loopback one), if it has one.

    Looked up from the host's own names only: no packet is sent anywhere.
    """
    candidates: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.append(str(info[4][0]))
    except OSError:
        return None
    for address in candidates:
        ip = ipaddress.ip_address(address)
        if ip.is_private and not ip.is_loopback and not ip.is_link_local:
            return address
    return None


def public_base_url(bind_host: str, port: int, public_url: str | None = None) -> str:
    """The address to show students: the teacher's ``--public-url``, else one they can reach."""
    if public_url:
        return public_url.rstrip("/")
    host = bind_host
    if bind_host in ANY_ADDRESS:
        host = room_address() or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"
