"""The address a request comes from. X-Forwarded-For counts only when a proxy we were told to trust
(LEARNBRIDGE_TRUSTED_PROXIES) sent it: anyone else could write a fresh address into it per request."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# The longest address kept (login_attempts.client).
MAX_LENGTH = 100


@functools.lru_cache(maxsize=8)
def trusted_networks(value: str) -> tuple[Network, ...]:
    """Comma-separated IP addresses and CIDR blocks; raises ValueError on anything else."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
    )


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The peer's address; when the peer is a trusted proxy, the right-most X-Forwarded-For entry that
    is not itself a trusted proxy (entries left of it were written by the client and prove nothing)."""
    if peer is None:
        return "unknown"
    address = _normalise(peer)
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    while _is_trusted(address, trusted) and hops:
        address = _normalise(hops.pop())
    return address[:MAX_LENGTH]


def request_client(request: Request) -> str:
    """`client_address` for a request, with the app's trusted proxies."""
    trusted = trusted_networks(request.app.state.settings.trusted_proxies)
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getlist("x-forwarded-for"), trusted)


def _normalise(value: str) -> str:
    """The canonical text of an IP address (an IPv4-mapped IPv6 address as IPv4); anything else as given."""
    try:
        ip = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return value
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return str(mapped or ip)


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in trusted)
