"""Half-duplex gating: until echo cancellation exists, the therapist must not hear itself.

Without it, the therapist's voice from laptop speakers reaches the microphone, the server's
VAD takes it for the person, and the reply interrupts itself. So while the therapist speaks
(and a short tail after, for room echo and device latency) the uplink sends silence. The cost:
the person cannot interrupt by voice; an End button and short replies make up for it, and the
window shows the microphone as paused. A file microphone is gated too, so headless QA runs hear
the conversation exactly as a person at the window would.
"""

from __future__ import annotations

from therapy_desktop.audio.jitter_buffer import JitterBuffer


class HalfDuplexGate:
    def __init__(self, playback: JitterBuffer, tail_seconds: float = 0.4) -> None:
        self._playback = playback
        self._tail = tail_seconds
        self.remote_speaking = False  # set from the server's output_audio_buffer.started/stopped

    def muted(self) -> bool:
        return self.remote_speaking or self._playback.sound_pending or self._playback.audible_within(self._tail)
