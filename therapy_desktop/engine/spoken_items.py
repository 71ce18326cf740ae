"""What the engine remembers of each assistant message it voiced: where its audio lies on the
call's track and where each word starts, so `conversation.item.truncate` can cut the message at
what the person heard, with the service's answers (and refusals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.audio.pcm import SAMPLE_RATE


class ClientError(Exception):
    """A client event the service would refuse: becomes an `error` event, the call goes on."""

    def __init__(self, message: str, code: str | None, param: str | None) -> None:
        super().__init__(message)
        self.code, self.param = code, param


@dataclass
class SpokenAudio:
    """Positions are samples on the call's VoiceTrack (48 kHz)."""

    item_id: str
    start: int | None = None
    end: int = 0
    words: list[tuple[int, str]] = field(default_factory=list)  # (position, word), in order
    truncated_ms: int | None = None

    def add(self, start: int, end: int, words: list[tuple[int, str]]) -> None:
        """One sentence queued on the track."""
        if self.start is None:
            self.start = start
        self.end = max(self.end, end)
        self.words.extend(words)

    def cut(self, position: int) -> None:
        """The track stopped sending this message's audio at `position` (cleared or cancelled)."""
        if self.start is not None:
            self.end = max(self.start, min(self.end, position))

    @property
    def ms(self) -> int:
        """The length of the message's audio (what was generated and not cleared)."""
        return 0 if self.start is None else (self.end - self.start) * 1000 // SAMPLE_RATE

    @property
    def transcript(self) -> str:
        """The words whose audio starts before the end of what is kept."""
        return " ".join(word for position, word in self.words if position < self.end)

    def truncate(self, audio_end_ms: int) -> None:
        if self.start is not None:
            self.end = min(self.end, self.start + audio_end_ms * SAMPLE_RATE // 1000)
        self.truncated_ms = audio_end_ms


def truncation(event: dict[str, Any], spoken: dict[str, SpokenAudio], known_items: set[str]) -> SpokenAudio:
    """Check a `conversation.item.truncate` as the service does; the item to cut, or ClientError."""
    item_id, content_index, audio_end_ms = event.get("item_id"), event.get("content_index"), event.get("audio_end_ms")
    for name, value, kind in (("item_id", item_id, str), ("content_index", content_index, int),
                              ("audio_end_ms", audio_end_ms, int)):
        if value is None:
            raise ClientError(f"Missing required parameter: '{name}'.", "missing_required_parameter", name)
        if not isinstance(value, kind) or isinstance(value, bool):
            expected = "a string" if kind is str else "an integer"
            raise ClientError(f"Invalid type for '{name}': expected {expected}.", "invalid_type", name)
    assert isinstance(item_id, str) and isinstance(content_index, int) and isinstance(audio_end_ms, int)
    item = spoken.get(item_id)
    if item is None:
        if item_id in known_items:
            raise ClientError("Only model output audio messages can be truncated.", "invalid_value", "item_id")
        raise ClientError(f"Item with item_id '{item_id[:64]}' not found.", "item_not_found", "item_id")
    if content_index != 0:
        raise ClientError(f"Invalid 'content_index': {content_index}. The item has one content part, at index 0.",
                          "invalid_value", "content_index")
    if audio_end_ms < 0:
        raise ClientError(f"Invalid 'audio_end_ms': {audio_end_ms}. Expected a value of at least 0.",
                          "integer_below_min_value", "audio_end_ms")
    if audio_end_ms > item.ms:
        raise ClientError(f"Audio content of {item.ms}ms is already shorter than {audio_end_ms}ms.",
                          "invalid_value", "audio_end_ms")
    return item
