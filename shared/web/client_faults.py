"""werkzeug's own refusals of a request body, as the platform's errors.

Reading a body or a form, werkzeug raises its HTTP exceptions: the body ended before its
`Content-Length` (the client went away or lied), a form over its limits (werkzeug's
`max_form_parts`, `max_form_memory_size`), a form field that is not there. They are the
client's fault, yet an entrypoint would answer them as an unexpected error (a 500 and a
traceback); `as_domain_error` turns them into `DomainError`s with the status they mean.
"""

from __future__ import annotations

from werkzeug.exceptions import (
    BadRequest,
    BadRequestKeyError,
    ClientDisconnected,
    RequestEntityTooLarge,
)

from shared.errors import DomainError, InvalidInput, PayloadTooLarge

# what nameko should count as expected (one warning line, no traceback) besides DomainError
CLIENT_FAULTS: tuple[type[Exception], ...] = (BadRequest, RequestEntityTooLarge)


class MalformedRequest(DomainError):
    """The request cannot be read as HTTP says it should be."""

    status = 400


def as_domain_error(exc: BaseException) -> BaseException:
    """`exc` as a DomainError naming the field at fault, or `exc` itself."""
    if isinstance(exc, ClientDisconnected):
        problem = "ended before the length its Content-Length announced"
        return MalformedRequest(f"body: {problem}", {"body": problem})
    if isinstance(exc, BadRequestKeyError):
        return InvalidInput.field(str(exc.args[0]) if exc.args else "form", "missing")
    if isinstance(exc, RequestEntityTooLarge):
        problem = "over the size or number of parts a request may have"
        return PayloadTooLarge(f"body: {problem}", {"body": problem})
    if isinstance(exc, BadRequest):
        problem = "could not be read"
        return MalformedRequest(f"body: {problem}", {"body": problem})
    return exc
