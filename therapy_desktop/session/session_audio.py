"""The session's sound: microphone and speaker, opened once and kept open across calls (a
reconnect or a renewal builds a new call, never new devices).

It also holds the person's audio choices: the mode (speakers with echo cancellation,
headphones, half-duplex, push-to-talk), mute, and whether the push-to-talk key is held. It
provides the signals barge-in needs (a local voice detector on the cleaned microphone, pausing,
resuming and flushing playback, how much of the reply was heard); `session.barge_in` decides.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable

from aiortc import MediaStreamTrack

from therapy_desktop.audio.device_list import resolve_device
from therapy_desktop.audio.devices import DeviceMicrophone, DeviceSpeaker
from therapy_desktop.audio.echo_canceller import EchoCanceller, EchoCancelledSource, FarEndTap
from therapy_desktop.audio.echo_gate import HalfDuplexGate
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.errors import AudioError
from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio import texts
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.audio.player import RemoteAudioPlayer
from therapy_desktop.audio.sources import AudioSource
from therapy_desktop.audio.voice_activity import VoiceActivity
from therapy_desktop.session.hooks import Hook

log = logging.getLogger(__name__)

DEVICE_STALL = 3.0  # seconds without a PortAudio callback: the device is gone (a busy loop stalls callbacks ~1 s)
WATCH_PERIOD = 0.25


class SessionAudio:
    def __init__(
        self,
        endpoints: AudioEndpoints,
        *,
        on_level: Callable[[float], None],
        on_paused: Callable[[bool], None],
        ai_has_turn: Callable[[], bool] = lambda: False,
        mode: AudioMode = AudioMode.HALF_DUPLEX,
    ) -> None:
        self.endpoints = endpoints
        self._ai_has_turn = ai_has_turn  # a recording waits for its turn (a live microphone cannot)
        self._on_level = on_level
        self._on_paused = on_paused
        # A sentence for the person about something already handled: a device fell back to the default,
        # or the mode switched to speakers. A problem is what they may need to act on: no device could be
        # opened after one stopped, or echo cancellation is not available.
        self.notice_did_occur: Hook[str] = Hook("notice_did_occur")
        self._on_notice = self.notice_did_occur.emit
        self.problem_did_occur: Hook[str] = Hook("problem_did_occur")
        # The session changed the mode itself (headphones chosen, speakers heard): barge-in tells the
        # service, the window shows it. Not emitted for `set_mode`, the person's own choice.
        self.mode_did_change: Hook[AudioMode] = Hook("mode_did_change")
        self.mode = mode
        self.muted = False  # the person's Mute: the uplink sends silence
        self.talk_pressed = False  # push-to-talk held
        self.source: AudioSource | None = None
        self.player: RemoteAudioPlayer | None = None
        self.canceller: EchoCanceller | None = None
        self.voice = VoiceActivity(level_floor=self._speech_floor, over_echo=self._person_over_echo)
        self.on_voice: Callable[[VoiceActivity], None] | None = None  # barge-in listens here
        self._gate: HalfDuplexGate | None = None
        self._track: MicrophoneTrack | None = None
        self._watch: asyncio.Task[None] | None = None
        self._voice_enabled = True
        self._told_speaker_in_mic = False  # once per session: a notice, not a nag
        self._held_at: float | None = None  # when the playback was last held (barge-in), if it is

    async def open(self) -> None:
        """Raises `AudioError` with a sentence for the person; whatever was opened stays owned
        here and is released by `close()`."""
        self.endpoints = self._remembered_devices_found(self.endpoints)
        source = await self.endpoints.open_source()
        self.source = source
        self.player = RemoteAudioPlayer(await self.endpoints.open_sink())
        await self.player.start()
        self._gate = HalfDuplexGate(self.player.buffer)
        if isinstance(self.player.sink, DeviceSpeaker):
            tap = FarEndTap()
            self.player.sink.reference = tap
            if isinstance(source, DeviceMicrophone):
                try:
                    self.canceller = EchoCanceller(tap)
                except AudioError as exc:  # no livekit: say so, fall back to the gate
                    self.problem_did_occur.emit(str(exc))
                else:
                    self.source = EchoCancelledSource(source, self.canceller)
        self._apply_mode()
        if isinstance(source, DeviceMicrophone) or isinstance(self.player.sink, DeviceSpeaker):
            self._watch = asyncio.get_running_loop().create_task(self._watch_devices())

    def _remembered_devices_found(self, endpoints: AudioEndpoints) -> AudioEndpoints:
        """Devices remembered by name that are not connected now: the default, with a notice."""
        changes = {}
        for field, kind, wav in (("input_device", "input", endpoints.mic_wav), ("output_device", "output", endpoints.speaker_wav)):
            name = getattr(endpoints, field)
            if isinstance(name, str) and wav is None:
                device, notice = resolve_device(name, kind)  # type: ignore[arg-type]
                if notice:
                    changes[field] = device
                    self._on_notice(notice)
        return dataclasses.replace(endpoints, **changes) if changes else endpoints

    # -- the person's choices -------------------------------------------------------------------

    def set_mode(self, mode: AudioMode) -> None:
        """Any time, mid-call included; the session also tells the service (barge_in)."""
        self.mode = mode
        self._apply_mode()

    def _apply_mode(self) -> None:
        if isinstance(self.source, EchoCancelledSource):
            # Barge-in without cancellation: whether the microphone hears the speaker is worth knowing.
            self.source.switch(cancel=self.mode.cancels_echo, watch_echo=self.mode.barge_in and not self.mode.cancels_echo)
        if self.mode is AudioMode.SPEAKERS and self.canceller is None and self.source is not None:
            # Without a canceller (a WAV speaker, no livekit) speakers would hear themselves.
            log.info("speakers mode without echo cancellation: the uplink is gated while the AI speaks")
        self.voice.reset()

    ECHO_MARGIN = 0.2  # speech must be within 14 dB of the speaker's level to count over it
    MIN_SPEECH_RMS = 60.0  # about -55 dBFS: below this, nobody is speaking into this microphone
    # Held this long, the speaker has played out its device buffer and the room its echo: there is no
    # echo left to keep a floor for. (AEC3 goes on turning the person down for a while after the far
    # end stops, and the reference level decays slowly: with the echo's floor, a person Silero was
    # sure of did not count, the paused reply resumed between their words and was cut only later.)
    ECHO_TAIL = 0.15

    def _speech_floor(self) -> float:
        held_for = time.monotonic() - self._held_at if self._held_at is not None else 0.0
        if self.echo_cancelled and self.canceller is not None and held_for < self.ECHO_TAIL:
            return max(self.MIN_SPEECH_RMS, self.ECHO_MARGIN * self.canceller.reference_rms)
        return self.MIN_SPEECH_RMS

    def _person_over_echo(self) -> bool:
        return self.echo_cancelled and self.canceller is not None and self.canceller.person_over_echo

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def set_talk_pressed(self, pressed: bool) -> None:
        self.talk_pressed = pressed

    @property
    def echo_cancelled(self) -> bool:
        return self.mode.cancels_echo and self.canceller is not None

    def uplink_muted(self) -> bool:
        """Whether the frame going out now is silence: mute, push-to-talk released, or the
        half-duplex gate (also in speakers mode when nothing cancels the echo)."""
        if self.muted:
            return True
        if self.mode is AudioMode.PUSH_TO_TALK:
            return not self.talk_pressed
        gated = self.mode is AudioMode.HALF_DUPLEX or (self.mode is AudioMode.SPEAKERS and self.canceller is None)
        return gated and self._gate is not None and self._gate.muted()

    RESIDUAL_ECHO_GAIN = 0.01  # -40 dB
    PASS_SPEECH_MS = 96  # local speech this long opens the uplink over the reply (= a barge-in pause)

    def uplink_gain(self) -> float:
        """Speakers mode: while the AI companion is audible and the local detector hears nobody,
        what the canceller left (its quiet residue, which a service VAD can still take for a
        voice) is sent 40 dB down. It opens as soon as the detector hears speech; the cost is
        the first ~100 ms of a word spoken over the reply, sent softly."""
        if not self.echo_cancelled or self.player is None or self.voice.speech_ms >= self.PASS_SPEECH_MS:
            return 1.0
        return self.RESIDUAL_ECHO_GAIN if self.player.buffer.audible_within(0.3) else 1.0

    def new_track(self) -> MicrophoneTrack:
        """A fresh uplink track for a new call, over the same microphone (a track belongs to the
        peer connection that sent it). The previous call's track stops sending."""
        assert self.source is not None and self._gate is not None, "open() first"
        self.stop_uplink()
        self._track = MicrophoneTrack(self.source, muted=self.uplink_muted, on_level=self._on_level,
                                      on_muted=self._on_paused, on_pcm=self._heard, gain=self.uplink_gain,
                                      hold=self._ai_has_turn)
        self._on_paused(False)  # a new track starts open; the old one's "paused" no longer applies
        return self._track

    def _heard(self, pcm) -> None:  # noqa: ANN001 - numpy array from the track
        if not (self.mode.barge_in and self._voice_enabled and not self.muted) or self.on_voice is None:
            return
        try:
            self.voice.feed(pcm)
        except Exception:  # noqa: BLE001 - a broken detector must not stop the uplink
            log.exception("the local voice detector failed; barge-in now waits for the service")
            self._voice_enabled = False
            return
        self.on_voice(self.voice)

    def stop_uplink(self) -> None:
        if self._track is not None:
            self._track.stop()
            self._track = None
            self._on_level(0.0)

    # -- playback -------------------------------------------------------------------------------

    def play(self, track: MediaStreamTrack) -> None:
        if self.player is not None:
            self.player.play(track)

    def flush(self) -> None:
        """Drop what is queued for the speaker. A hold stays as it is: the conversation flushes on
        the service's `output_audio_buffer.cleared`, and releasing the hold there let the cut
        reply's audio still arriving by RTP play for a moment (barge_in keeps it held)."""
        if self.player is not None:
            self.player.flush()

    def hold_playback(self, held: bool) -> None:
        """Pause (keeping what is queued) or resume the AI companion's voice at the speaker."""
        if not held:
            self._held_at = None
        elif self._held_at is None:
            self._held_at = time.monotonic()
        if self.player is not None:
            self.player.buffer.hold(held)

    @property
    def played_ms(self) -> float:
        """Milliseconds of the AI companion's audio handed to the speaker so far, minus what the
        device still holds: what the person has actually heard."""
        if self.player is None:
            return 0.0
        buffer = self.player.buffer
        latency = float(getattr(self.player.sink, "output_latency", 0.0))
        return max(0.0, buffer.played_samples * 1000 / buffer.rate - latency * 1000)

    def set_remote_speaking(self, speaking: bool) -> None:
        if self._gate is not None:
            self._gate.remote_speaking = speaking

    @property
    def is_playing(self) -> bool:
        return self.player is not None and self.player.is_playing

    async def played_out(self, timeout: float) -> None:
        """Return once what is queued for the speaker has played (or after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while self.is_playing and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

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

    # -- devices that go away -------------------------------------------------------------------

    async def _watch_devices(self) -> None:
        last_tick = time.monotonic()
        while True:
            await asyncio.sleep(WATCH_PERIOD)
            now, late = time.monotonic(), time.monotonic() - last_tick > 3 * WATCH_PERIOD
            last_tick = now
            if late:  # the whole process stalled (callbacks too): that says nothing about the devices
                continue
            self._check_speaker_in_microphone()
            try:
                await self._replace_vanished()
            except AudioError as exc:
                log.warning("no device to fall back to: %s", exc)
                self.problem_did_occur.emit(texts.DEVICE_FALLBACK_FAILED.format(error=exc))
                return

    def _check_speaker_in_microphone(self) -> None:
        """Headphones chosen, speakers in use: the AI companion's own voice would pause it, and the
        service would take its echo for the person. With a canceller at hand the session switches to
        speakers mode (this session only; the saved choice stays) and says so. (Watching happens only in
        headphones mode, and only on a source the canceller wraps.)"""
        watching = isinstance(self.source, EchoCancelledSource) and self.source.watch_echo and not self.muted
        if not watching or self._told_speaker_in_mic or self.canceller is None or not self.canceller.hears_speaker:
            return
        self._told_speaker_in_mic = True
        log.warning("the microphone hears the speaker (correlation %.2f) in %s mode",
                    self.canceller.double_talk.correlation or 0.0, self.mode.value)
        self.set_mode(AudioMode.SPEAKERS)
        self.mode_did_change.emit(AudioMode.SPEAKERS)
        self._on_notice(texts.SPEAKER_IN_MICROPHONE)

    async def _replace_vanished(self) -> None:
        now = time.monotonic()
        mic = self.source.inner if isinstance(self.source, EchoCancelledSource) else self.source
        if isinstance(mic, DeviceMicrophone) and (mic.failed or now - mic.last_callback > DEVICE_STALL):
            log.warning("the microphone %r stopped (%s); falling back to the default", mic.name,
                        "ended" if mic.failed else f"no block for {now - mic.last_callback:.1f} s")
            replacement = await asyncio.to_thread(DeviceMicrophone, None)
            if isinstance(self.source, EchoCancelledSource):
                self.source.inner = replacement
                self.source.canceller.double_talk.forget_echo_path()  # another microphone, another path
            else:
                self.source = replacement
            if self._track is not None:
                self._track.source = self.source
            await asyncio.to_thread(mic.close)
            self._on_notice(texts.MICROPHONE_FELL_BACK.format(old=mic.name, new=replacement.name))
        sink = self.player.sink if self.player is not None else None
        if isinstance(sink, DeviceSpeaker) and self.player is not None and (
            sink.failed or now - sink.last_callback > DEVICE_STALL
        ):
            log.warning("the speaker %r stopped (%s); falling back to the default", sink.name,
                        "ended" if sink.failed else f"no block for {now - sink.last_callback:.1f} s")
            replacement_sink = await asyncio.to_thread(DeviceSpeaker, None)
            await replacement_sink.start(self.player.buffer)
            replacement_sink.reference = sink.reference
            self.player.sink = replacement_sink
            with contextlib.suppress(Exception):
                await sink.close()
            self._on_notice(texts.SPEAKER_FELL_BACK.format(old=sink.name, new=replacement_sink.name))

    async def close(self) -> None:
        """Release the devices. Raises `AudioError` if the speaker could not be finished (a WAV
        file that could not be written); the source is released either way."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        self.stop_uplink()
        player, self.player = self.player, None
        source, self.source = self.source, None
        try:
            if player is not None:
                await player.close()
        finally:
            if source is not None:
                await asyncio.to_thread(source.close)  # stopping a PortAudio stream can take 200 ms
