"""What it means when the person speaks over the AI companion, and the person's audio controls.

`audio/` provides the signals (a local voice detector on the echo-cancelled microphone, a
playback that can be held, flushed, and knows how much was heard); this module decides:

- speech over the reply for `pause_after_ms` (`pause_over_echo_ms` when the raw microphone confirms
  someone over the echo, `pause_confident_ms` when the level and a sure detector agree too, or that
  double talk alone for `pause_double_talk_ms`) pauses the playback at the speaker at once (the queue is kept); speech
  that goes on to `commit_after_ms` interrupts: the local playback is
  flushed, `response.cancel` + `output_audio_buffer.clear` go to the service, and
  `conversation.item.truncate` cuts the reply at what the person actually heard. Shorter sounds
  (a cough, a 200 ms "mm") resume the reply where it paused (pitfall 44).
- the service's `input_audio_buffer.speech_started` pauses the same way (it can be earlier than
  the local detector on the service's side, or the only signal without one).
- in speakers mode nothing counts until the echo canceller has heard `warmup_seconds` of the
  AI companion's voice (pitfall 43): before it converges, the echo sounds like a person.
- push-to-talk: no server turn detection; holding the key opens the uplink (and interrupts a
  reply), releasing it commits the input and asks for a response.

Client events built here are the GA shapes; `realtime/client_events` has the others.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.audio.voice_activity import WINDOW_MS, VoiceActivity
from therapy_desktop.realtime import client_events
from therapy_desktop.realtime import server_events as ev
from therapy_desktop.session.conversation import Conversation
from therapy_desktop.session.session_audio import SessionAudio
from therapy_desktop.session.transcript import ASSISTANT

log = logging.getLogger(__name__)

_counter = itertools.count(1)


def _event(type_: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "event_id": f"client_audio_{next(_counter)}", **fields}


def input_audio_buffer_commit() -> dict[str, Any]:
    return _event("input_audio_buffer.commit")


def input_audio_buffer_clear() -> dict[str, Any]:
    return _event("input_audio_buffer.clear")


def conversation_item_truncate(item_id: str, audio_end_ms: int, content_index: int = 0) -> dict[str, Any]:
    return _event("conversation.item.truncate", item_id=item_id, content_index=content_index,
                  audio_end_ms=max(0, int(audio_end_ms)))


def session_update_for_mode(mode: AudioMode, turn_detection: dict[str, Any]) -> dict[str, Any]:
    """A partial `session.update` for the mode: turn detection (none in push-to-talk; with the
    app deciding interruptions in the barge-in modes) and the matching noise reduction."""
    turn: dict[str, Any] | None
    if mode.server_turns:
        # In the barge-in modes the app decides what interrupts (so a cough does not); the
        # service still ends turns and answers them.
        turn = {**turn_detection, "interrupt_response": not mode.barge_in, "create_response": True}
    else:
        turn = None
    audio_input = {"turn_detection": turn, "noise_reduction": {"type": mode.noise_reduction}}
    return _event("session.update", session={"type": "realtime", "audio": {"input": audio_input}})


@dataclass(frozen=True)
class BargeInPolicy:
    pause_after_ms: int = 96  # three detector windows: clicks, noise bursts and echo residue do not pause
    # ... two when the raw microphone heard someone over the echo in both (double talk): echo residue
    # alone never gives that, and every window sooner is 32 ms less of the reply over the person.
    pause_over_echo_ms: int = 64
    # ... and one when all three agree on it: Silero sure (>= confident_probability), the raw microphone
    # over the echo, and the cleaned level over the echo floor. In the echo room the person's first such
    # window came 20-40 ms before the second; of 7352 windows of echo alone, none had all three.
    pause_confident_ms: int = 32
    confident_probability: float = 0.8
    # The raw microphone over the echo for three windows in a row pauses on its own, Silero or not: during
    # double talk AEC3 can turn the person down so far that Silero scores them 0.0-0.5 for a second (the
    # slow barge-ins of 0.8-1 s). Echo alone never ran that long: 2 windows at most in 7352 (about 4 min
    # of replies in the echo room). A cough may pause the reply too; it resumes once quiet.
    pause_double_talk_ms: int = 96
    commit_after_ms: int = 320  # longer than a 200 ms "mm" as the detector sees it
    # Quiet after a pause that did not become an interruption; longer than the gap between two
    # words (a comma is ~150 ms), or "Wait, …" resumed the reply before the person went on.
    resume_after_ms: int = 320
    warmup_seconds: float = 6.0  # AI voice the canceller must have heard first (speakers): AEC3 took ~5 s in the echo room
    push_to_talk_tail: float = 0.15  # the uplink stays open this long after release: the last word
    cut_timeout: float = 1.5  # the longest the cut reply's late audio is dropped without the service's word
    in_flight_after_clear: float = 0.5  # ... and after it: the cut reply's audio still on its way (jitter buffer, network)


class BargeState(enum.Enum):
    IDLE = "idle"
    PAUSED = "paused"  # playback held while deciding
    CUT = "cut"  # interrupted: what still arrives of the cut reply is dropped until the service confirms


@dataclass
class Interruption:
    item_id: str | None
    heard_ms: int
    source: str  # "voice", "service" or "push_to_talk"


class BargeIn:
    def __init__(
        self, audio: SessionAudio, conversation: Conversation, *, send: Callable[[dict[str, Any]], None],
        turn_detection: Callable[[], dict[str, Any]], policy: BargeInPolicy | None = None,
    ) -> None:
        self.audio = audio
        self.conversation = conversation
        self._send = send
        self._turn_detection = turn_detection
        self.policy = policy or BargeInPolicy()
        self.state = BargeState.IDLE
        self.interruptions: list[Interruption] = []
        self.pauses = 0  # holds that resumed (coughs, "mm")
        self._logged_window = -1
        self._item_id: str | None = None  # the assistant message whose audio is playing
        self._item_started_ms = 0.0  # audio.played_ms when its audio began
        self._server_speech = False
        self._speech_before_pause = 0  # the detector's speech total before the run that paused
        # Quiet heard since the pause (no speech, no double talk): what a resume waits for. Not the
        # detector's own silence count, which a pause by double talk alone starts with already full.
        self._quiet_since_pause_ms = 0
        # The service's speech_started, unconfirmed locally, interrupts if it lasts (`_service_speech_lasted`).
        self._service_timer: asyncio.TimerHandle | None = None
        # While CUT: when to stop dropping the cut reply's audio (no word from the service, or in flight after it).
        self._cut_timer: asyncio.TimerHandle | None = None
        self._release_timer: asyncio.TimerHandle | None = None
        self._in_call = False
        audio.on_voice = self.on_voice
        audio.mode_did_change.connect(self._mode_applied)

    # -- controls the UI calls ----------------------------------------------------------------

    def set_mode(self, mode: AudioMode) -> None:
        self.audio.set_mode(mode)
        self._mode_applied(mode)

    def _mode_applied(self, mode: AudioMode) -> None:
        """The person's choice, or the session's own (`audio.mode_did_change`): the service follows."""
        self._resume()
        if self._in_call:
            self._send(session_update_for_mode(mode, self._turn_detection()))

    def set_muted(self, muted: bool) -> None:
        self.audio.set_muted(muted)
        if muted:
            self._resume()

    def push_to_talk(self, pressed: bool) -> None:
        """Space or the button, pressed or released. Ignored outside push-to-talk mode."""
        if self.audio.mode is not AudioMode.PUSH_TO_TALK:
            return
        self._release_timer = _cancelled(self._release_timer)
        if pressed:
            if not self.audio.talk_pressed:
                if self._reply_audible() or self.conversation.active_responses:
                    self.interrupt("push_to_talk")
                self._send(input_audio_buffer_clear())
            self.audio.set_talk_pressed(True)
        elif self.audio.talk_pressed:
            self._release_timer = asyncio.get_running_loop().call_later(self.policy.push_to_talk_tail, self._released)

    def _released(self) -> None:
        self._release_timer = None
        self.audio.set_talk_pressed(False)
        self._send(input_audio_buffer_commit())
        self.conversation.ask_for_reply()  # never a second response.create while one is under way

    # -- what the call reports -----------------------------------------------------------------

    def call_opened(self) -> None:
        """A new call: it starts with the service's defaults, so tell it the mode."""
        self._in_call = True
        self._resume()
        if self.audio.mode is not AudioMode.HALF_DUPLEX:  # half-duplex is what the call was configured with
            self._send(session_update_for_mode(self.audio.mode, self._turn_detection()))

    def on_event(self, event: ev.ServerEvent) -> None:
        match event:
            case ev.OutputItemAdded(item=item) if item.role == ASSISTANT:
                self._item_id = item.id
            case ev.OutputAudioStarted():
                self._item_started_ms = self.audio.played_ms
            case ev.SpeechStarted():
                self._server_speech = True
                self._service_heard_speech()
            case ev.SpeechStopped():
                self._server_speech = False
                if self.state is BargeState.PAUSED and self.audio.voice.speech_ms == 0:
                    self._resume()
            case ev.OutputAudioCleared() if self.state is BargeState.CUT:
                self._cleared_while_cut()
            case ev.OutputAudioCleared() | ev.ResponseCreated():
                self._end_cut()
                self._resume()

    def speech_started(self) -> None:
        """Conversation's hook for the service's speech_started (instead of a plain flush)."""
        if not self.audio.mode.barge_in:
            self.audio.flush()  # half-duplex, push-to-talk: the service interrupted already

    # -- deciding ------------------------------------------------------------------------------

    def _reply_audible(self) -> bool:
        return self.audio.is_playing or self.state is BargeState.PAUSED

    def _warming_up(self) -> bool:
        if not self.audio.echo_cancelled:
            return False
        canceller = self.audio.canceller
        return canceller is not None and canceller.reference_seconds < self.policy.warmup_seconds

    def on_voice(self, voice: VoiceActivity) -> None:
        """Each detector window of the cleaned microphone (barge-in modes only)."""
        if not self.audio.mode.barge_in or self.audio.muted:
            return
        if self.state is BargeState.CUT:
            return
        if log.isEnabledFor(logging.DEBUG) and self._reply_audible() and voice.windows != self._logged_window:
            self._logged_window = voice.windows  # --debug: how each barge-in was heard, once a window
            log.debug("window %s: p %.2f rms %.0f floor %.0f over echo %s, speech %d ms (%d over echo)",
                      self.state.value, voice.probability, voice.rms, voice.level_floor(), voice.last_over_echo,
                      voice.speech_ms, voice.over_echo_ms)
        if self.state is BargeState.IDLE:
            confident = (voice.last_over_echo and voice.last_above_floor
                         and voice.probability >= self.policy.confident_probability)
            heard = (voice.speech_ms >= self.policy.pause_after_ms or voice.over_echo_ms >= self.policy.pause_over_echo_ms
                     or (confident and voice.speech_ms >= self.policy.pause_confident_ms)
                     or voice.over_echo_run * WINDOW_MS >= self.policy.pause_double_talk_ms)
            if heard and self._reply_audible() and not self._warming_up():
                self._pause()
            return
        # Speech is counted across the gaps between words ("Wait, that is…" has a comma in it).
        if voice.speech_total_ms - self._speech_before_pause >= self.policy.commit_after_ms:
            self.interrupt("voice")
            return
        # Quiet is what Silero does not take for speech at any level: the speaker is held, so there is
        # no echo to fool it, and AEC3 may still be turning the person down below the level floor.
        quiet = voice.speech_ms == 0 and voice.probability < voice.threshold and not voice.last_over_echo
        self._quiet_since_pause_ms = self._quiet_since_pause_ms + WINDOW_MS if quiet else 0
        if self._quiet_since_pause_ms >= self.policy.resume_after_ms and not self._server_speech:
            self._resume()

    def _service_heard_speech(self) -> None:
        if not self.audio.mode.barge_in or self.state is not BargeState.IDLE:
            return
        if self.audio.echo_cancelled:  # over speakers the local detector (with its echo floor) decides
            return
        if not self._reply_audible() or self._warming_up():
            return
        self._pause()
        # No local confirmation (a detector that failed, or one the echo fools) → the service's
        # word decides once the speech has lasted as long as an interruption needs.
        delay = max(0.0, (self.policy.commit_after_ms - self.policy.pause_after_ms) / 1000)
        self._service_timer = asyncio.get_running_loop().call_later(delay, self._service_speech_lasted)

    def _service_speech_lasted(self) -> None:
        self._service_timer = None
        if self.state is BargeState.PAUSED and self._server_speech:
            self.interrupt("service")

    def _pause(self) -> None:
        self.state = BargeState.PAUSED
        voice = self.audio.voice
        self._speech_before_pause = voice.speech_total_ms - voice.speech_ms  # the run that paused counts
        self._quiet_since_pause_ms = 0
        self.audio.hold_playback(True)
        log.info("speech over the reply: playback paused")

    def _resume(self) -> None:
        if self.state is BargeState.CUT:
            return
        self._service_timer = _cancelled(self._service_timer)
        if self.state is BargeState.PAUSED:
            self.pauses += 1
            log.info("not an interruption: the reply resumes")
        self.state = BargeState.IDLE
        self.audio.hold_playback(False)

    def interrupt(self, source: str) -> Interruption:
        """Stop the reply now: local playback, the service's response and its audio buffer, and
        cut the item at what was heard."""
        heard = int(max(0.0, self.audio.played_ms - self._item_started_ms))
        self.audio.flush()
        self.audio.hold_playback(True)  # the service sends on until it hears the cancel: never play that
        self._service_timer = _cancelled(self._service_timer)
        self.state = BargeState.CUT
        _cancelled(self._cut_timer)
        self._cut_timer = asyncio.get_running_loop().call_later(self.policy.cut_timeout, self._end_cut)
        if self.conversation.active_responses:
            self._send(client_events.response_cancel())
        self._send(client_events.output_audio_buffer_clear())
        item_id = self._item_id
        if item_id is not None:
            self._send(conversation_item_truncate(item_id, heard))
            item = self.conversation.transcript.get(item_id)
            if item is not None and item.role == ASSISTANT:
                self.conversation.transcript.mark(item_id, "interrupted")
            self._item_id = None
        interruption = Interruption(item_id, heard, source)
        self.interruptions.append(interruption)
        self.audio.voice.reset()
        log.info("barge-in (%s): the reply was cut at %d ms", source, heard)
        return interruption

    def _cleared_while_cut(self) -> None:
        """The service has dropped the rest of the cut reply, but this word comes by the data
        channel, ahead of the media: what it had already sent is still arriving by RTP, and played
        it was heard as the reply carrying on for a moment after the person cut in. So drop on
        until its next response starts, or the in-flight audio has surely arrived."""
        self.audio.flush()
        self.audio.hold_playback(True)
        _cancelled(self._cut_timer)
        self._cut_timer = asyncio.get_running_loop().call_later(self.policy.in_flight_after_clear, self._end_cut)

    def _end_cut(self) -> None:
        if self.state is not BargeState.CUT:
            return
        self._cut_timer = _cancelled(self._cut_timer)
        self.state = BargeState.IDLE
        self.audio.flush()  # drop first, then release: released first, a draining speaker takes a block
        self.audio.hold_playback(False)

    def close(self) -> None:
        for timer in (self._service_timer, self._cut_timer, self._release_timer):
            _cancelled(timer)
        self._service_timer = self._cut_timer = self._release_timer = None
        self._in_call = False


def _cancelled(timer: asyncio.TimerHandle | None) -> None:
    """Cancels `timer` if there is one; None, for `self._x = _cancelled(self._x)`."""
    if timer is not None:
        timer.cancel()
    return None
