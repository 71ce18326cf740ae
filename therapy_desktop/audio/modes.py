"""How the person listens and talks: the choice behind echo cancellation and barge-in."""

from __future__ import annotations

import enum


class AudioMode(enum.Enum):
    """A plain string value, so the settings store can hold it (`AudioMode(value)` to read back)."""

    SPEAKERS = "speakers"  # laptop speakers: echo cancellation on, the person can interrupt by voice
    HEADPHONES = "headphones"  # no echo to cancel; the person can interrupt by voice
    HALF_DUPLEX = "half_duplex"  # the microphone is paused while the AI companion speaks (the fallback)
    PUSH_TO_TALK = "push_to_talk"  # the microphone is open only while a key or button is held

    @property
    def cancels_echo(self) -> bool:
        return self is AudioMode.SPEAKERS

    @property
    def barge_in(self) -> bool:
        """Speaking over the AI companion stops it."""
        return self in (AudioMode.SPEAKERS, AudioMode.HEADPHONES)

    @property
    def server_turns(self) -> bool:
        """The service detects the end of a turn; in push-to-talk the app commits it."""
        return self is not AudioMode.PUSH_TO_TALK

    @property
    def noise_reduction(self) -> str:
        """The service's input noise reduction: far field on speakers (pitfall 16)."""
        return "far_field" if self is AudioMode.SPEAKERS else "near_field"
