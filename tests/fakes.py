"""Test doubles for the realtime seam: a connection that records what the session sends and
lets a test play the server, a key provider that needs no server, and a stand-in for the
sounddevice module."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

from therapy_desktop.realtime.connection import ConnectTimings
from therapy_desktop.realtime.http_api import EphemeralKey
from therapy_desktop.realtime.server_events import read_server_event


class FakeKeyProvider:
    label = "Fake"

    async def mint(self, http: Any, session: dict[str, Any]) -> EphemeralKey:
        return EphemeralKey("ek_fake_key_value", 2_000_000_000, session, "https://realtime.example.test/v1")


class FakeConnection:
    """Stands in for RealtimeConnection: `deliver()` is the server speaking."""

    last: FakeConnection | None = None

    def __init__(self, *, on_event, on_remote_audio, on_lost, **_: Any) -> None:
        self.on_event, self.on_remote_audio, self.on_lost = on_event, on_remote_audio, on_lost
        self.last_event_at = time.monotonic()
        self.sent: list[dict[str, Any]] = []
        self.call_id = "rtc_fake"
        self.timings = ConnectTimings()
        self.closed = False
        FakeConnection.last = self

    async def open(self, http: Any, key: EphemeralKey, audio_track: Any) -> None:
        pass

    def send(self, event: dict[str, Any]) -> None:
        self.sent.append(event)
        if event["type"] == "session.update":  # a GA server confirms
            self.deliver({"type": "session.updated", "event_id": "e0", "session": event["session"]})

    def deliver(self, *events: dict[str, Any] | str) -> None:
        for event in events:  # through the real parsing boundary, as the real connection does
            self.last_event_at = time.monotonic()
            self.on_event(read_server_event(event if isinstance(event, str) else json.dumps(event)))

    async def close(self) -> None:
        self.closed = True

    def sent_types(self) -> list[str]:
        return [e["type"] for e in self.sent]


def fake_sounddevice(name: str, rate: int = 48_000, **members: object) -> SimpleNamespace:
    """Enough of the sounddevice module for `audio.devices` to open one fake device."""
    return SimpleNamespace(PortAudioError=OSError,
                           query_devices=lambda device, kind: {"default_samplerate": rate, "name": name}, **members)
