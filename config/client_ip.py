"""The address of the person behind a request, when proxies (a load balancer, nginx) stand in front.

Each proxy appends the address it received the request from to `X-Forwarded-For`. Only the right-hand part,
written by proxies we trust, is true; anything to its left the client may have written itself. So the client
is the right-most address that is not one of the trusted proxies (`FORWARDED_ALLOW_IPS`, the same list
gunicorn trusts `X-Forwarded-Proto` from), and the header counts only when the request itself comes from a
trusted proxy. Plain Python only: gunicorn's access log uses it before Django is loaded.
"""

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """'127.0.0.1,::1,10.0.0.0/24' (or a list) -> networks. '*' is refused: it would trust what a client writes."""
    items = value.split(",") if isinstance(value, str) else value
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item == "*":
            raise ValueError(
                "FORWARDED_ALLOW_IPS must name the proxies' addresses or networks, not '*': with '*', the address "
                "any client writes into X-Forwarded-For would be believed."
            )
        networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


def _address(text: str):
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    if address is None:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in network for network in networks if network.version == address.version)


def client_ip(remote_addr: str | None, forwarded_for: str | None, networks: tuple[Network, ...]) -> str | None:
    """The client's address: REMOTE_ADDR unless it is a trusted proxy; then the right-most address in
    X-Forwarded-For that is not a trusted proxy. Never the left-most, which any client can write."""
    peer = _address(remote_addr or "")
    if peer is None or not _trusted(peer, networks) or not forwarded_for:
        return str(peer) if peer is not None else remote_addr
    hops = [h for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # not an address: a trusted proxy did not write it, so stop believing the header
            return str(peer)
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0]) or peer) if hops else str(peer)  # every hop a trusted proxy
