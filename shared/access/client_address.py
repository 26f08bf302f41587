"""The client's address, for rate limits: the connection's peer, or, when that peer is one
of the proxies named in `TRUSTED_PROXIES`, the address those proxies put in
`X-Forwarded-For`. Anyone can write that header, so it is read only behind a trusted
proxy and only as far back as the hops trusted proxies wrote."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(setting: str) -> tuple[Network, ...]:
    """`TRUSTED_PROXIES`: addresses or ranges, comma-separated (`10.0.0.0/8, ::1`)."""
    found = []
    for part in (each.strip() for each in setting.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"TRUSTED_PROXIES: {part!r} is not an address or range") from exc
    return tuple(found)


class ClientAddresses:
    def __init__(self, trusted: tuple[Network, ...] = ()) -> None:
        self.trusted = trusted

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClientAddresses:
        return cls(networks(str(config.get("TRUSTED_PROXIES") or "")))

    def of(self, request: Request) -> str:
        peer = request.remote_addr or "unknown"
        if not self._trusts(peer):
            return peer
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed([hop for hop in hops if hop]):
            if not self._trusts(hop):  # the first hop no trusted proxy stands for
                return normal(hop) or peer
            peer = hop
        return peer  # every hop a trusted proxy: the farthest one

    def _trusts(self, address: str) -> bool:
        try:
            parsed = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(parsed in network for network in self.trusted)


def normal(address: str) -> str | None:
    """The address as Python writes it (one spelling a client), or None if it is none."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
