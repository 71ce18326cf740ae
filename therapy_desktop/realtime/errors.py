"""Errors of the realtime client. `str()` is the sentence to show the person.

    RealtimeError                  (.retryable says whether trying again may help)
    ├── CredentialsMissing         no API key / token configured
    ├── AuthenticationFailed       401/403 from the service
    ├── ServiceRequestFailed       any other HTTP error answer (400, 404, 5xx…)
    │   └── RateLimited            429
    ├── NetworkUnreachable         DNS, refused, timeout: the HTTP request never got an answer
    ├── CallSetupFailed            the WebRTC call did not come up (ICE/DTLS/data channel)
    └── ConnectionLost             an established call dropped

`error` events on the data channel are not exceptions: most leave the session open, so the
session shows their message and goes on.
"""

from __future__ import annotations

from therapy_desktop.redaction import redact


class RealtimeError(Exception):
    retryable: bool = False

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(redact(message))
        self.detail = redact(detail)


class CredentialsMissing(RealtimeError):
    pass


class AuthenticationFailed(RealtimeError):
    pass


class ServiceRequestFailed(RealtimeError):
    def __init__(self, message: str, *, status: int, code: str | None = None, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.status = status
        self.code = code
        self.retryable = status >= 500


class RateLimited(ServiceRequestFailed):
    retryable = True

    def __init__(self, message: str, *, status: int = 429, code: str | None = None, detail: str = "") -> None:
        super().__init__(message, status=status, code=code, detail=detail)
        self.retryable = True


class NetworkUnreachable(RealtimeError):
    retryable = True


class CallSetupFailed(RealtimeError):
    retryable = True


class ConnectionLost(RealtimeError):
    retryable = True
