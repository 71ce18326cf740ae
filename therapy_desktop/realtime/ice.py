"""Which host addresses aiortc offers as ICE candidates.

aioice never offers 127.0.0.1, so two peers on a machine without a network (a clinician's
laptop offline, `unshare -n`) find no path to each other. aiortc has no option for this, so
we wrap aioice's address lookup once and decide per gathering, through a context variable:
`loopback_candidates()` around `setLocalDescription` makes that peer offer only 127.0.0.1.
A peer talking to a server on this machine uses it; every other peer is untouched.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
from collections.abc import Iterator
from urllib.parse import urlsplit

import aioice.ice

_loopback_only: contextvars.ContextVar[bool] = contextvars.ContextVar("loopback_only", default=False)
_original_get_host_addresses = aioice.ice.get_host_addresses


def _get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    if _loopback_only.get():
        return ["127.0.0.1"] if use_ipv4 else []
    return _original_get_host_addresses(use_ipv4, use_ipv6)


aioice.ice.get_host_addresses = _get_host_addresses


@contextlib.contextmanager
def loopback_candidates(enabled: bool = True) -> Iterator[None]:
    """Within this block (and tasks it starts), ICE gathering offers only 127.0.0.1."""
    token = _loopback_only.set(enabled)
    try:
        yield
    finally:
        _loopback_only.reset(token)


def is_loopback_url(url: str) -> bool:
    return is_loopback_host(urlsplit(url).hostname or "")


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
