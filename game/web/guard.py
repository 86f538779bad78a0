"""Which requests the classroom server answers: Host and Origin allowlists, and the address to show.

A browser page on any other site could otherwise post votes or open event streams to a teacher's laptop
(cross-site requests), and a hostile DNS name pointed at 127.0.0.1 could reach a loopback server (DNS
rebinding). Both are stopped by answering only requests whose ``Host`` (and, when sent, ``Origin``) names an
address this server was started on or told about.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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


def _netloc(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}".lower()


def allowed_hosts(bind_host: str, port: int, public_url: str | None = None) -> frozenset[str]:
    """The ``Host`` header values (host:port) this server answers to."""
    names = {_netloc(name, port) for name in LOOPBACK_NAMES}
    if bind_host not in ANY_ADDRESS:
        names.add(_netloc(bind_host, port))
    else:
        address = room_address()
        if address:
            names.add(_netloc(address, port))
    if public_url:
        parts = urlsplit(public_url)
        if parts.hostname:
            names.add(_netloc(parts.hostname, parts.port or port))
    return frozenset(names)


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """True when the request's ``Host`` header names this server."""
    return bool(host_header) and host_header.lower() in allowed


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """True when ``Origin`` is absent (same-origin GET) or names this server over http."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() in allowed


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
