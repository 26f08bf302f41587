"""Which of a product's certificates the catalogue shows, from the facts folded so far.
Pure; used by `catalogue.py` (the fold) and the statistics."""

from __future__ import annotations


def current_certificate(
    certificates: dict[str, dict], province_code: str | None = None
) -> dict | None:
    """The valid certificate with the most stars (latest term on a tie); an issued one only,
    and, for a registered product, one issued in the product's own province: another
    province cannot certify it (an import naming a product elsewhere shows nothing)."""
    valid = [
        c
        for c in certificates.values()
        if "issued_on" in c
        and in_force(c, certificates)
        and province_code in (None, c.get("province_code"))
    ]
    return max(
        valid, key=lambda c: (stars_of(c), expires_of(c), c["certificate_number"]), default=None
    )


def in_force(certificate: dict, certificates: dict[str, dict]) -> bool:
    """Not ended; or superseded by a certificate not seen yet. The two events come through
    different queues, in either order: until the new one is here, the old one stays shown,
    so the product is not delisted (and its invitations withdrawn) for nothing."""
    ended = certificate.get("ended")
    if ended is None:
        return True
    successor = ended.get("by")
    return bool(successor) and "issued_on" not in (certificates.get(successor) or {})


def stars_of(certificate: dict) -> int:
    return int(
        certificate["renewals"][-1]["stars"]
        if certificate.get("renewals")
        else certificate["stars"]
    )


def expires_of(certificate: dict) -> str:
    return str(
        certificate["renewals"][-1]["expires_on"]
        if certificate.get("renewals")
        else certificate["expires_on"]
    )


def latest_ended(certificates: dict[str, dict]) -> dict | None:
    issued = [c for c in certificates.values() if "issued_on" in c]
    return max(issued, key=lambda c: (c["issued_on"], c["certificate_number"]), default=None)
