"""Words the window shows, in one place (ready for translation)."""

from __future__ import annotations

from therapy_desktop.realtime.connect_mode import ConnectMode

MODE_TITLES = {ConnectMode.DEMO: "Demo (offline)", ConnectMode.OPENAI: "OpenAI", ConnectMode.BACKEND: "Clinic backend"}

# A quiet line in the transcript where a new call took over the conversation.
CONNECTION_RENEWED = "Connection renewed at {time:%H:%M} — the conversation carries on."
