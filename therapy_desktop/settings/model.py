"""What a person can set, with its defaults and checks, and how it becomes a `SessionConfig`."""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal
from urllib.parse import urlsplit

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.realtime.clinic_backend import check_backend_url
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.errors import RealtimeError
from therapy_desktop.realtime.ice import is_loopback_url
from therapy_desktop.realtime.session_config import (
    DEFAULT_MODEL,
    DEFAULT_TRANSCRIPTION_MODEL,
    DEFAULT_VOICE,
    EAGERNESS,
    SPEED_RANGE,
    SemanticTurnDetection,
    SessionConfig,
    TurnDetection,
    realtime_models,
    transcription_models,
    voices,
)
from therapy_desktop.settings import messages

SESSION_MINUTES = (10, 180)  # a session's length, in minutes: the setting's range
TurnMode = Literal["server_vad", "semantic_vad"]
NoiseSetting = Literal["near_field", "far_field", "off"]
_SECRET_SHAPE = re.compile(r"\b(sk-|ek_|tdb1\.)[A-Za-z0-9]|(?i:bearer\s)")


@dataclass(frozen=True)
class Settings:
    mode: ConnectMode | None = None  # None: OpenAI when an API key is stored, else Demo
    model: str = DEFAULT_MODEL
    voice: str = DEFAULT_VOICE
    transcription_model: str = DEFAULT_TRANSCRIPTION_MODEL
    turn_detection: TurnMode = "server_vad"
    vad_threshold: float = 0.5
    vad_prefix_padding_ms: int = 300
    vad_silence_duration_ms: int = 500
    idle_timeout_s: int | None = None  # server VAD only (the service supports it nowhere else)
    eagerness: str = "auto"
    noise_reduction: NoiseSetting = "near_field"
    speed: float = 1.0
    openai_base_url: str = ""  # empty: OpenAI's own API
    backend_url: str = ""
    session_minutes: int = 30  # the longest a session runs before the gentle close (issue 11: a setting)
    # Sound devices by name (PortAudio renumbers them at every start); "" is the system default.
    input_device: str = ""
    output_device: str = ""
    audio_mode: AudioMode = AudioMode.HALF_DUPLEX  # today's behaviour until the person chooses

    def session_config(self, instructions: str, tools: list[dict[str, Any]]) -> SessionConfig:
        turn: TurnDetection | SemanticTurnDetection
        if self.turn_detection == "semantic_vad":
            turn = SemanticTurnDetection(eagerness=self.eagerness)  # type: ignore[arg-type]
        else:
            idle = self.idle_timeout_s * 1000 if self.idle_timeout_s else None
            turn = TurnDetection(self.vad_threshold, self.vad_prefix_padding_ms, self.vad_silence_duration_ms, idle)
        return SessionConfig(
            instructions=instructions,
            tools=tools,
            model=self.model,
            voice=self.voice,
            transcription_model=self.transcription_model,
            turn_detection=turn,
            noise_reduction=None if self.noise_reduction == "off" else self.noise_reduction,
            speed=self.speed,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["mode"] = self.mode.value if self.mode else None
        data["audio_mode"] = self.audio_mode.value
        return data

    @classmethod
    def from_json(cls, data: Any) -> tuple[Settings, list[str]]:
        """Settings from a stored object. A value that is wrong (a hand edit, an older version, a
        model the SDK dropped) falls back to its default alone; the names of those fields are returned."""
        defaults = cls()
        if not isinstance(data, dict):
            return defaults, ["(whole file)"]
        values: dict[str, Any] = {}
        dropped: list[str] = []
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name == "mode":
                value = ConnectMode(value) if value in {m.value for m in ConnectMode} else None
                if value is None and data[f.name] is not None:
                    dropped.append(f.name)
                values[f.name] = value
                continue
            default = getattr(defaults, f.name)
            if isinstance(default, enum.Enum):  # stored as its value; an unknown one keeps the default
                known = {member.value: member for member in type(default)}
                if isinstance(value, str) and value in known:
                    values[f.name] = known[value]
                else:
                    dropped.append(f.name)
                continue
            expected: tuple[type, ...] = (int, float) if isinstance(default, float) else (type(default),)
            if f.name == "idle_timeout_s":
                expected = (int, type(None))
            if isinstance(value, bool) or not isinstance(value, expected):
                dropped.append(f.name)
                continue
            values[f.name] = float(value) if isinstance(default, float) else value
        candidate = cls(**values)
        for problem in validate(candidate):
            values.pop(problem.field, None)
            dropped.append(problem.field)
        return cls(**values), dropped


@dataclass(frozen=True)
class SettingsProblem:
    field: str
    message: str


def validate(settings: Settings) -> list[SettingsProblem]:
    """What is wrong with `settings`, field by field, in sentences for the person."""
    s, problems = settings, []

    def check(ok: bool, name: str, message: str) -> None:
        if not ok:
            problems.append(SettingsProblem(name, message))

    check(s.model in realtime_models(), "model", messages.UNKNOWN_MODEL)
    check(s.voice in voices(), "voice", messages.UNKNOWN_VOICE)
    check(s.transcription_model in transcription_models(), "transcription_model", messages.UNKNOWN_TRANSCRIPTION)
    check(s.turn_detection in ("server_vad", "semantic_vad"), "turn_detection", "Choose how turns are detected.")
    check(0.0 <= s.vad_threshold <= 1.0, "vad_threshold", messages.THRESHOLD)
    check(0 <= s.vad_prefix_padding_ms <= 2000, "vad_prefix_padding_ms", messages.PADDING)
    check(100 <= s.vad_silence_duration_ms <= 5000, "vad_silence_duration_ms", messages.SILENCE)
    check(s.idle_timeout_s is None or 5 <= s.idle_timeout_s <= 600, "idle_timeout_s", messages.IDLE)
    check(s.eagerness in EAGERNESS, "eagerness", "Choose how eagerly the companion answers.")
    check(s.noise_reduction in ("near_field", "far_field", "off"), "noise_reduction", "Choose a noise reduction.")
    check(SPEED_RANGE[0] <= s.speed <= SPEED_RANGE[1], "speed", messages.SPEED)
    check(SESSION_MINUTES[0] <= s.session_minutes <= SESSION_MINUTES[1], "session_minutes", messages.SESSION_MINUTES)
    if s.openai_base_url:
        problems += [SettingsProblem("openai_base_url", m) for m in _url_problems(s.openai_base_url)]
    if s.backend_url:
        problems += [SettingsProblem("backend_url", m) for m in _backend_url_problems(s.backend_url)]
    for name in ("input_device", "output_device"):
        check(_device_name_ok(getattr(s, name)), name, messages.DEVICE_NAME)
    check(isinstance(s.audio_mode, AudioMode), "audio_mode", messages.AUDIO_MODE)
    return problems


def _device_name_ok(name: object) -> bool:
    """A name as PortAudio reports it: printable, one line, not absurdly long (a hand-edited file)."""
    return isinstance(name, str) and len(name) <= 256 and name.isprintable()


def _url_problems(url: str) -> list[str]:
    if _SECRET_SHAPE.search(url):
        return [messages.LOOKS_LIKE_SECRET]
    parts = urlsplit(url.strip())
    if parts.username or parts.password:
        return [messages.URL_WITH_PASSWORD]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [messages.BASE_URL]
    if parts.scheme == "http" and not is_loopback_url(url):
        return [messages.BASE_URL]
    return []


def _backend_url_problems(url: str) -> list[str]:
    problems = _url_problems(url)
    if problems and problems[0] != messages.BASE_URL:
        return problems
    try:
        check_backend_url(url)  # the clinic mode's own rule and sentence: https, or http to this computer
    except RealtimeError as exc:
        return [str(exc)]
    return []
