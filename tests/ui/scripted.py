"""A window over real sessions on the FakeConnection seam, with a real history: the test plays
the server (tool calls, replies) and the person (buttons, keys)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.fakes import FakeConnection, FakeKeyProvider
from tests.session.test_session_events import spoken_reply, user_turn  # noqa: F401 - re-exported
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.recorder import SessionRecorder
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.storage import SessionStore
from therapy_desktop.therapy import TherapyType
from therapy_desktop.ui.main_window import MainWindow
from therapy_desktop.ui.session_controller import SessionController, StartedSession


@dataclass
class Rig:
    window: MainWindow
    store: SessionStore
    sessions: list[TherapySession] = field(default_factory=list)
    recorders: list[SessionRecorder] = field(default_factory=list)
    moods_after: list[int | None] = field(default_factory=list)

    @property
    def server(self) -> FakeConnection:
        assert FakeConnection.last is not None
        return FakeConnection.last

    def system_notes(self) -> list[str]:
        return [e["item"]["content"][0]["text"] for e in self.server.sent
                if e["type"] == "conversation.item.create" and e["item"].get("role") == "system"]


def make_rig(qtbot, tmp_path: Path, *, history: bool = True) -> Rig:
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE * 30, dtype=np.int16), SAMPLE_RATE)
    store = SessionStore.open(tmp_path / "h.sqlite3")
    rig: Rig

    async def make_session(request):
        session = TherapySession(request.therapy, FakeKeyProvider(), AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "o.wav"),
                                 connection_factory=FakeConnection)
        recorder = SessionRecorder(store, session, mode=str(request.mode), mood_before=request.mood_before)
        rig.sessions.append(session)
        rig.recorders.append(recorder)

        async def finish(mood):
            rig.moods_after.append(mood)

        return StartedSession(session, recorder, finish)

    async def get_store():
        return store

    window = MainWindow(SessionController(make_session), mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL,
                        history_store=get_store if history else None)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts need the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    rig = Rig(window, store)
    return rig


def tool_call(name: str, arguments: dict, *, response: str = "rt", item: str = "ft", call: str = "call_t") -> list[dict]:
    return [
        {"type": "response.created", "event_id": "a", "response": {"id": response, "status": "in_progress"}},
        {"type": "response.output_item.added", "event_id": "b", "response_id": response, "output_index": 0,
         "item": {"id": item, "type": "function_call", "call_id": call, "name": name, "arguments": ""}},
        {"type": "response.function_call_arguments.done", "event_id": "c", "response_id": response, "item_id": item,
         "output_index": 0, "call_id": call, "name": name, "arguments": json.dumps(arguments)},
        {"type": "response.done", "event_id": "d", "response": {"id": response, "status": "completed"}},
    ]


def reply(server: FakeConnection, item: str, response: str, previous: str | None, words: tuple[str, ...]) -> None:
    start, deltas, end = spoken_reply(item=item, response=response, previous=previous, words=words)
    server.deliver(*start, *deltas, *end)
