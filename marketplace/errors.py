"""Domain errors: every refusal in a service raises one of these.

Screens turn them into a message on the page, the API into a JSON body with the status code below.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a message meant for the person who asked."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class PermissionRefused(DomainError):
    status_code = 403
    code = "permission_denied"


class TermsNotAccepted(PermissionRefused):
    """The acting organisation has not accepted the current Vilkår (TRM-3)."""

    code = "terms_not_accepted"


class NotFound(DomainError):
    """Missing and forbidden look the same, so that nothing reveals what exists."""

    status_code = 404
    code = "not_found"


class IllegalTransition(DomainError):
    """A workflow step the transition table does not allow from the current state."""

    status_code = 409
    code = "illegal_transition"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
