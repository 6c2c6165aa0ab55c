"""The one error contract (STYLE rule 9): domain errors carry a stable code; every interface renders them."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A domain error the user can act on. The API renders {code, message, detail}; the CLI exits 2."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class InvalidInput(ApplicationError):
    """Bad input; `detail` maps field names to lists of messages."""

    code = "invalid"


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class PermissionDenied(ApplicationError):
    code = "forbidden"
    http_status = 403


class Conflict(ApplicationError):
    """The record changed under the actor (someone else acted first) or the action clashes with its state."""

    code = "conflict"
    http_status = 409


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
