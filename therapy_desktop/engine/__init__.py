"""The local realtime engine: a GA-conformant Realtime API on 127.0.0.1 with a scripted,
offline therapist. It is Demo mode, and the test double for the client."""

from therapy_desktop.engine.server import LocalEngine

__all__ = ["LocalEngine"]
