"""Who may join a class: the room code, the per-device tokens, the device cap and the request rate limit.

A phone joins with the short room code the teacher shows and gets a random token; nothing else about the
device is kept. The token is the only identity the server knows: one vote per token per decision.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# No 0/O, 1/I/L, 5/S, 2/Z: a code read off a projector and typed on a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 4
DEFAULT_MAX_DEVICES = 60
TOKEN_BYTES = 18


def new_room_code(length: int = CODE_LENGTH) -> str:
    """A random room code from an alphabet without look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a student typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")[:16]


class RoomFull(Exception):
    """Raised when the device cap is reached."""


class BadRoomCode(Exception):
    """Raised when a phone gives the wrong room code."""


@dataclass(slots=True)
class Room:
    """The devices that joined one class, each known only by a random token."""

    code: str = field(default_factory=new_room_code)
    max_devices: int = DEFAULT_MAX_DEVICES
    _devices: set[str] = field(default_factory=set)

    def join(self, code: str, token: str | None = None) -> str:
        """Admit a device: return its token (the one it already has, when still known).

        Raises :class:`BadRoomCode` for a wrong code and :class:`RoomFull` past the cap.
        """
        if not secrets.compare_digest(normalise_code(code).encode(), self.code.encode()):
            raise BadRoomCode
        if token is not None and token in self._devices:
            return token
        if len(self._devices) >= self.max_devices:
            raise RoomFull
        new = secrets.token_urlsafe(TOKEN_BYTES)
        self._devices.add(new)
        return new

    def knows(self, token: object) -> bool:
        """True when ``token`` was issued by this room."""
        return isinstance(token, str) and token in self._devices

    @property
    def device_count(self) -> int:
        """How many devices have joined."""
        return len(self._devices)


@dataclass(slots=True)
class RateLimiter:
    """A token bucket per key (a device token or an address): ``rate`` requests a second, bursts of ``burst``."""

    rate: float = 8.0
    burst: float = 20.0
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        """Spend one request for ``key``; False when its bucket is empty."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        if key not in self._buckets and len(self._buckets) >= self.max_keys:
            self._forget_full_buckets(now)
        self._buckets[key] = (tokens - 1.0, now)
        return True

    def _forget_full_buckets(self, now: float) -> None:
        refilled = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.burst]
        for key in refilled:
            del self._buckets[key]
        if len(self._buckets) >= self.max_keys:
            self._buckets.clear()
