"""The session's sound: microphone and speaker, opened once and kept open across calls (a
reconnect or a renewal builds a new call, never new devices)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiortc import MediaStreamTrack

from therapy_desktop.audio.echo_gate import HalfDuplexGate
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio.player import RemoteAudioPlayer
from therapy_desktop.audio.sources import AudioSource

log = logging.getLogger(__name__)


class SessionAudio:
    def __init__(
        self,
        endpoints: AudioEndpoints,
        *,
        on_level: Callable[[float], None],
        on_paused: Callable[[bool], None],
        ai_has_turn: Callable[[], bool] = lambda: False,
    ) -> None:
        self.endpoints = endpoints
        self._ai_has_turn = ai_has_turn  # a recording waits for its turn (a live microphone cannot)
        self._on_level = on_level
        self._on_paused = on_paused
        self.source: AudioSource | None = None
        self.player: RemoteAudioPlayer | None = None
        self._gate: HalfDuplexGate | None = None
        self._track: MicrophoneTrack | None = None

    async def open(self) -> None:
        """Raises `AudioError` with a sentence for the person; whatever was opened stays owned
        here and is released by `close()`."""
        self.source = await self.endpoints.open_source()
        self.player = RemoteAudioPlayer(await self.endpoints.open_sink())
        await self.player.start()
        self._gate = HalfDuplexGate(self.player.buffer)

    def new_track(self) -> MicrophoneTrack:
        """A fresh uplink track for a new call, over the same microphone (a track belongs to the
        peer connection that sent it). The previous call's track stops sending."""
        assert self.source is not None and self._gate is not None, "open() first"
        self.stop_uplink()
        self._track = MicrophoneTrack(self.source, muted=self._gate.muted, on_level=self._on_level,
                                      on_muted=self._on_paused, hold=self._ai_has_turn)
        self._on_paused(False)  # a new track starts open; the old one's "paused" no longer applies
        return self._track

    def stop_uplink(self) -> None:
        if self._track is not None:
            self._track.stop()
            self._track = None
            self._on_level(0.0)

    def play(self, track: MediaStreamTrack) -> None:
        if self.player is not None:
            self.player.play(track)

    def flush(self) -> None:
        if self.player is not None:
            self.player.flush()

    def set_remote_speaking(self, speaking: bool) -> None:
        if self._gate is not None:
            self._gate.remote_speaking = speaking

    @property
    def is_playing(self) -> bool:
        return self.player is not None and self.player.is_playing

    @property
    def last_heard_at(self) -> float:
        """When the last frame of the therapist's track arrived (time.monotonic(); 0 if none)."""
        return self.player.last_frame_at if self.player is not None else 0.0

    @property
    def mic_exhausted(self) -> bool:
        return self.source is not None and self.source.exhausted

    @property
    def mic_seconds(self) -> float | None:
        return getattr(self.source, "duration", None)

    async def close(self) -> None:
        """Release the devices. Raises `AudioError` if the speaker could not be finished (a WAV
        file that could not be written); the source is released either way."""
        self.stop_uplink()
        player, self.player = self.player, None
        source, self.source = self.source, None
        try:
            if player is not None:
                await player.close()
        finally:
            if source is not None:
                await asyncio.to_thread(source.close)  # stopping a PortAudio stream can take 200 ms
