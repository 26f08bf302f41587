"""Errors as values at the boundary: the domain raises these, the HTTP layer maps them.

Each carries the HTTP status it means and, where input is at fault, the fields to blame
(`{"address.ward_code": "ward 99999 does not exist"}`).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected error; `status` is its HTTP meaning."""

    status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The request is well-formed but a field's value is not acceptable."""

    status = 422

    @classmethod
    def field(cls, name: str, problem: str) -> InvalidInput:
        return cls(f"{name}: {problem}", {name: problem})


class NotFound(DomainError):
    """The resource named in the path does not exist."""

    status = 404

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} with id {key!r}")


class Conflict(DomainError):
    """The request is valid but the resource's state does not allow it now."""

    status = 409


class PayloadTooLarge(DomainError):
    status = 413


class Unauthorized(DomainError):
    """No credentials, or credentials that are expired, forged or revoked."""

    status = 401


class Forbidden(DomainError):
    """Valid credentials whose roles do not allow this request or this record."""

    status = 403
