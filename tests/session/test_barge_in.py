"""Barge-in decisions, push-to-talk and mute, over a real SessionAudio, jitter buffer and
Conversation; the local voice detector gets scripted speech probabilities (one per 32 ms
window), everything else is the production code."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest

from therapy_desktop.audio.echo_canceller import EchoCanceller, FarEndTap
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.audio.player import RemoteAudioPlayer
from therapy_desktop.audio.sinks import WavFileSpeaker
from therapy_desktop.audio.voice_activity import VoiceActivity
from therapy_desktop.realtime.server_events import parse_server_event
from therapy_desktop.session.barge_in import BargeIn, BargeInPolicy, BargeState, session_update_for_mode
from therapy_desktop.session.conversation import Conversation, ConversationActions
from therapy_desktop.session.session_audio import SessionAudio

WINDOW_48K = 1536  # 32 ms at 48 kHz: one detector window
TURN = {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300, "silence_duration_ms": 500}


class Room:
    """A SessionAudio whose player holds a reply, a conversation, and what was sent."""

    def __init__(self, tmp_path: Path, mode: AudioMode) -> None:
        self.sent: list[dict] = []
        self.flushes = 0
        self.probability = 0.0
        self._tone = np.zeros(0, dtype=np.int16)
        self._sent_samples = 0
        self.audio = SessionAudio(AudioEndpoints(), on_level=lambda _: None, on_paused=lambda _: None)
        self.audio.player = RemoteAudioPlayer(WavFileSpeaker(tmp_path / "out.wav"))
        self.audio._gate = None
        self.over_echo = False  # the raw microphone's double-talk verdict (audio/double_talk.py)
        self.audio.voice = VoiceActivity(vad=lambda _: self.probability, level_floor=self.audio._speech_floor,
                                         over_echo=lambda: self.over_echo)
        self.conversation = Conversation(ConversationActions(
            send=self.sent.append, flush_playback=self.audio.flush, remote_speaking_changed=lambda _: None,
            changed=lambda: None, speech_started=lambda: self.barge.speech_started()))
        self.barge = BargeIn(self.audio, self.conversation, send=self.sent.append, turn_detection=lambda: dict(TURN))
        self.barge.set_mode(mode)
        self.barge.call_opened()
        self.sent.clear()

    def server(self, type_: str, **fields) -> None:
        event = parse_server_event(json.dumps({"type": type_, **fields}))
        self.barge.on_event(event)
        self.conversation.apply(event)

    def reply(self, seconds: float = 3.0) -> None:
        """A reply under way: response created, item added, audio started and queued."""
        self.server("response.created", response={"id": "resp_1", "status": "in_progress"})
        self.server("response.output_item.added", response_id="resp_1",
                    item={"id": "item_a", "type": "message", "role": "assistant", "content": []})
        self.server("output_audio_buffer.started", response_id="resp_1")
        self._tone = (8000 * np.sin(np.arange(int(48_000 * seconds)) / 10)).astype(np.int16)
        self.audio.player.buffer.push(self._tone[:9600])  # 200 ms ahead, as the jitter buffer holds
        self._sent_samples = 9600

    def play(self, ms: int) -> None:
        """Real time: the service sends 16 ms while the device plays 16 ms."""
        buffer = self.audio.player.buffer
        for _ in range(ms // 16):
            buffer.push(self._tone[self._sent_samples : self._sent_samples + 768])
            self._sent_samples += 768
            buffer.pull(768)

    def speak(self, ms: int, probability: float = 0.9, level: float = 3000.0) -> None:
        """The microphone hears `ms` of sound at int16 RMS `level`, which the detector scores
        `probability`; the reply plays meanwhile."""
        self.probability = probability
        rng = np.random.default_rng(1)
        for _ in range(ms // 32):
            self.audio._heard((rng.standard_normal(WINDOW_48K) * level).astype(np.int16))
            self.play(32)

    def types(self) -> list[str]:
        return [e["type"] for e in self.sent]


@pytest.fixture
def room(tmp_path):
    rooms = []

    def make(mode: AudioMode = AudioMode.HEADPHONES) -> Room:
        rooms.append(Room(tmp_path, mode))
        return rooms[-1]

    yield make
    for r in rooms:
        r.barge.close()


async def test_speaking_over_the_reply_pauses_it_then_interrupts_at_what_was_heard(room):
    r = room(AudioMode.HEADPHONES)
    r.reply()
    r.play(1000)
    r.speak(128)  # the detector, behind its resampler, has scored three windows by now
    assert r.barge.state is BargeState.PAUSED and r.audio.player.buffer.held
    assert not r.audio.player.buffer.pull(960).any()  # silence at the speaker at once
    assert r.sent == []  # nothing decided yet
    r.speak(320)
    assert r.types() == ["response.cancel", "output_audio_buffer.clear", "conversation.item.truncate"]
    truncate = r.sent[-1]
    assert truncate["item_id"] == "item_a" and truncate["content_index"] == 0
    # 1000 ms played before speech, then ~100 ms until the pause: what the person heard.
    assert 1000 <= truncate["audio_end_ms"] <= 1150
    # What still arrives of the cut reply (the service has not heard the cancel yet) is never played.
    assert r.barge.state is BargeState.CUT and not r.audio.player.buffer.pull(960).any()
    r.server("output_audio_buffer.cleared", response_id="resp_1")
    # The service's word comes ahead of the audio it had already sent: that is still dropped (the
    # conversation's own flush on the same event must not release the hold).
    assert r.barge.state is BargeState.CUT and r.audio.player.buffer.buffered_ms == 0
    assert r.audio.player.buffer.held
    r.audio.player.buffer.push(r._tone[:7680])  # 160 ms still arriving by RTP
    assert not r.audio.player.buffer.pull(7680).any()
    r.server("response.created", response={"id": "resp_2", "status": "in_progress"})  # the answer to the person
    assert r.barge.state is BargeState.IDLE
    assert r.audio.player.buffer.buffered_ms == 0 and not r.audio.player.buffer.held
    assert r.conversation.transcript.get("item_a").status == "interrupted"
    assert [i.source for i in r.barge.interruptions] == ["voice"]


async def test_a_cough_or_a_short_mm_resumes_the_reply_where_it_paused(room):
    r = room(AudioMode.HEADPHONES)
    r.reply(seconds=3.0)
    r.play(1000)
    before = r.audio.player.buffer.buffered_ms
    r.speak(224)  # a 200 ms "mm" as the detector sees it: 7 windows
    assert r.barge.state is BargeState.PAUSED
    r.speak(224, probability=0.05)  # a gap between words: still deciding
    assert r.barge.state is BargeState.PAUSED
    r.speak(128, probability=0.05)
    assert r.barge.state is BargeState.IDLE and r.barge.pauses == 1
    assert r.sent == [] and r.barge.interruptions == []
    assert r.audio.player.buffer.buffered_ms >= before - 100  # nothing skipped: what was held plays on
    assert r.audio.player.buffer.pull(960).any()


async def test_after_the_service_clears_the_cut_reply_its_late_audio_is_dropped_for_a_moment_more(room):
    r = room(AudioMode.HEADPHONES)
    r.barge.policy = BargeInPolicy(in_flight_after_clear=0.05)
    r.reply()
    r.play(1000)
    r.speak(448)
    assert r.barge.state is BargeState.CUT
    r.server("output_audio_buffer.cleared", response_id="resp_1")
    r.play(64)  # still arriving by RTP
    assert r.barge.state is BargeState.CUT and not r.audio.player.buffer.pull(960).any()
    await asyncio.sleep(0.1)  # no new response: what was in flight has arrived by now
    assert r.barge.state is BargeState.IDLE and r.audio.player.buffer.buffered_ms == 0
    assert not r.audio.player.buffer.held


async def test_words_with_a_comma_between_them_interrupt_as_one_utterance(room):
    """ "Wait, that is not what I meant": the comma's silence must not resume the reply."""
    r = room(AudioMode.HEADPHONES)
    r.reply(seconds=3.0)
    r.play(1000)
    r.speak(192)  # "Wait,"
    assert r.barge.state is BargeState.PAUSED
    r.speak(160, probability=0.05)  # the comma
    assert r.barge.state is BargeState.PAUSED and r.sent == []
    r.speak(160)  # "that is": 352 ms of speech in all
    assert r.barge.state is BargeState.CUT and "conversation.item.truncate" in r.types()


async def test_quiet_echo_residue_over_speakers_is_not_speech(room):
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.audio.canceller.reference_seconds = 10.0  # converged (past the warm-up)
    r.audio.canceller.reference_rms = 4000.0  # the speaker is loud
    r.reply()
    r.speak(640, level=300.0)  # what a canceller leaves: Silero may call it speech, the floor does not
    assert r.barge.state is BargeState.IDLE and r.sent == []
    assert r.audio.uplink_gain() == 1.0 or r.audio.uplink_gain() < 0.05
    r.speak(640, level=3000.0)  # the person, over the reply
    assert "conversation.item.truncate" in r.types()


async def test_over_speakers_the_person_the_canceller_turned_down_still_pauses_and_interrupts(room):
    """During double talk AEC3 turns the person down with the echo, far under the echo floor. The raw
    microphone's verdict that someone is speaking over the echo lets Silero's windows count, and two
    such windows are enough to pause."""
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.audio.canceller.reference_seconds = 10.0
    r.audio.canceller.reference_rms = 4000.0
    r.reply()
    r.speak(640, level=30.0)  # what AEC3 leaves of the person, with nothing confirming them: not speech
    assert r.barge.state is BargeState.IDLE and r.sent == []
    r.over_echo = True
    for _ in range(6):
        r.speak(32, level=30.0)
        if r.barge.state is BargeState.PAUSED:
            break
    assert r.barge.state is BargeState.PAUSED
    assert r.audio.voice.speech_ms == 64  # two windows, not the three plain speech needs
    r.speak(320, level=30.0)
    assert "conversation.item.truncate" in r.types()


@pytest.mark.parametrize(("probability", "level", "over_echo", "pauses"), [
    (0.95, 3000.0, True, True),  # all three agree
    (0.7, 3000.0, True, False),  # the detector not sure enough: a second window decides
    (0.95, 300.0, True, False),  # under the echo floor (residue, or the person turned down)
    (0.95, 3000.0, False, False),  # the raw microphone saw only echo
])
async def test_over_speakers_one_window_pauses_only_when_level_double_talk_and_a_sure_detector_agree(
        room, probability, level, over_echo, pauses):
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.audio.canceller.reference_seconds = 10.0
    r.audio.canceller.reference_rms = 4000.0  # the echo floor: 800
    r.reply()
    r.over_echo = over_echo
    while r.audio.voice.windows == 0:  # exactly one window scored (the resampler holds a little back)
        r.speak(32, probability=probability, level=level)
    assert r.audio.voice.windows == 1
    assert (r.barge.state is BargeState.PAUSED) is pauses


async def test_over_speakers_three_windows_of_double_talk_pause_even_when_the_canceller_hides_the_person(room):
    """AEC3 can turn the person down so far that Silero scores them near 0 for a second; the raw
    microphone still hears them over the echo. Two such windows are echo's longest run; three pause."""
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.audio.canceller.reference_seconds = 10.0
    r.audio.canceller.reference_rms = 4000.0
    r.reply()
    r.over_echo = True
    windows = []
    while r.barge.state is BargeState.IDLE and len(windows) < 10:
        r.speak(32, probability=0.05, level=20.0)
        windows.append(r.audio.voice.windows)
    assert r.barge.state is BargeState.PAUSED and r.audio.voice.windows == 3 and r.audio.voice.speech_ms == 0
    r.over_echo = False
    r.speak(352, probability=0.0, level=0.0)  # it was a cough: quiet again, the reply resumes
    assert r.barge.state is BargeState.IDLE and r.barge.pauses == 1 and r.sent == []


async def test_a_pause_by_double_talk_holds_while_it_lasts_and_resumes_only_after_quiet_since(room):
    """The detector's silence count is full when double talk alone pauses (Silero heard nothing
    yet): resuming on it let the reply flicker on and off every window while the person spoke
    (the echo room's 650-800 ms stops). Quiet is counted from the pause, and double talk is not quiet."""
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.audio.canceller.reference_seconds = 10.0
    r.audio.canceller.reference_rms = 4000.0
    r.reply()
    r.speak(640, probability=0.0, level=0.0)  # a long quiet first: the detector's silence count is full
    r.over_echo = True
    while r.barge.state is BargeState.IDLE and r.audio.voice.windows < 40:
        r.speak(32, probability=0.05, level=20.0)
    assert r.barge.state is BargeState.PAUSED
    r.speak(320, probability=0.05, level=20.0)  # the person goes on, AEC3 still hiding them from Silero
    assert r.barge.state is BargeState.PAUSED and r.barge.pauses == 0
    r.over_echo = False
    r.speak(320, probability=0.9, level=20.0)  # Silero hears them, turned down below any floor: not quiet
    assert r.barge.state is BargeState.PAUSED
    r.speak(160, probability=0.0, level=0.0)
    assert r.barge.state is BargeState.PAUSED  # not yet 320 ms of quiet since the person
    r.speak(256, probability=0.0, level=0.0)
    assert r.barge.state is BargeState.IDLE and r.barge.pauses == 1 and r.sent == []


async def test_speech_with_no_reply_playing_is_just_a_turn(room):
    r = room(AudioMode.HEADPHONES)
    r.speak(640)
    assert r.barge.state is BargeState.IDLE and r.sent == []


async def test_speakers_mode_ignores_speech_until_the_canceller_has_converged(room):
    r = room(AudioMode.SPEAKERS)
    r.audio.canceller = EchoCanceller(FarEndTap())
    r.reply()
    r.speak(640)
    assert r.sent == [] and r.barge.state is BargeState.IDLE  # the echo of a fresh call, not a person
    r.audio.canceller.reference_seconds = 7.0
    r.speak(640)
    assert "conversation.item.truncate" in r.types()


async def test_half_duplex_and_push_to_talk_ignore_local_speech(room):
    for mode in (AudioMode.HALF_DUPLEX, AudioMode.PUSH_TO_TALK):
        r = room(mode)
        r.reply()
        r.speak(640)
        assert r.sent == [] and r.barge.state is BargeState.IDLE


async def test_the_services_speech_started_flushes_in_half_duplex(room):
    r = room(AudioMode.HALF_DUPLEX)
    r.reply()
    r.server("input_audio_buffer.speech_started", item_id="item_u", audio_start_ms=100)
    assert r.audio.player.buffer.buffered_ms == 0


async def test_the_services_speech_started_pauses_then_interrupts_if_it_lasts(room):
    r = room(AudioMode.HEADPHONES)
    r.barge.policy = BargeInPolicy(commit_after_ms=120, pause_after_ms=64)
    r.reply()
    r.server("input_audio_buffer.speech_started", item_id="item_u", audio_start_ms=100)
    assert r.barge.state is BargeState.PAUSED and r.audio.player.buffer.buffered_ms > 0
    await asyncio.sleep(0.15)
    assert r.types() == ["response.cancel", "output_audio_buffer.clear", "conversation.item.truncate"]
    assert r.barge.interruptions[-1].source == "service"
    await asyncio.sleep(r.barge.policy.cut_timeout + 0.1)  # the service never confirmed: the hold ends anyway
    assert r.barge.state is BargeState.IDLE and not r.audio.player.buffer.held


async def test_the_services_short_speech_resumes(room):
    r = room(AudioMode.HEADPHONES)
    r.reply()
    r.server("input_audio_buffer.speech_started", item_id="item_u", audio_start_ms=100)
    r.server("input_audio_buffer.speech_stopped", item_id="item_u", audio_end_ms=300)
    assert r.barge.state is BargeState.IDLE and not r.audio.player.buffer.held
    await asyncio.sleep(0.4)
    assert r.sent == []


async def test_push_to_talk_opens_the_uplink_and_commits_on_release(room):
    r = room(AudioMode.PUSH_TO_TALK)
    assert r.audio.uplink_muted()
    r.reply()
    r.barge.push_to_talk(True)
    assert not r.audio.uplink_muted()
    assert r.types() == ["response.cancel", "output_audio_buffer.clear", "conversation.item.truncate",
                         "input_audio_buffer.clear"]
    r.sent.clear()
    r.barge.push_to_talk(True)  # key repeat
    assert r.sent == []
    r.barge.push_to_talk(False)
    assert not r.audio.uplink_muted()  # the tail of the last word still goes out
    await asyncio.sleep(r.barge.policy.push_to_talk_tail + 0.05)
    assert r.audio.uplink_muted()
    # The cut reply's response.done has not come yet: the turn's reply is asked for once it has (a
    # second response.create while one is active is refused by the service).
    assert r.types() == ["input_audio_buffer.commit"]
    r.server("response.done", response={"id": "resp_1", "status": "cancelled", "output": []})
    assert r.types() == ["input_audio_buffer.commit", "response.create"]


async def test_push_to_talk_does_nothing_in_other_modes(room):
    r = room(AudioMode.SPEAKERS)
    r.barge.push_to_talk(True)
    r.barge.push_to_talk(False)
    await asyncio.sleep(0.2)
    assert r.sent == []


async def test_mute_silences_the_uplink_in_every_mode_and_stops_barge_in(room):
    r = room(AudioMode.HEADPHONES)
    r.barge.set_muted(True)
    for mode in AudioMode:
        r.audio.set_mode(mode)
        r.audio.set_talk_pressed(True)
        assert r.audio.uplink_muted()
    r.audio.set_mode(AudioMode.HEADPHONES)
    r.reply()
    r.speak(640)
    assert r.sent == []
    r.barge.set_muted(False)
    assert not r.audio.uplink_muted()


async def test_half_duplex_gates_while_the_reply_plays_and_speakers_without_canceller_too(room, tmp_path):
    from therapy_desktop.audio.echo_gate import HalfDuplexGate

    r = room(AudioMode.HALF_DUPLEX)
    r.audio._gate = HalfDuplexGate(r.audio.player.buffer)
    r.reply()
    assert r.audio.uplink_muted()
    r.audio.set_mode(AudioMode.SPEAKERS)  # no canceller here (a WAV speaker): stays gated
    assert r.audio.uplink_muted()
    r.audio.set_mode(AudioMode.HEADPHONES)
    assert not r.audio.uplink_muted()


def test_mode_session_updates():
    speakers = session_update_for_mode(AudioMode.SPEAKERS, TURN)["session"]
    assert speakers["type"] == "realtime"
    assert speakers["audio"]["input"]["noise_reduction"] == {"type": "far_field"}
    assert speakers["audio"]["input"]["turn_detection"]["interrupt_response"] is False
    half = session_update_for_mode(AudioMode.HALF_DUPLEX, TURN)["session"]["audio"]["input"]
    assert half["turn_detection"]["interrupt_response"] is True
    assert half["noise_reduction"] == {"type": "near_field"}
    ptt = session_update_for_mode(AudioMode.PUSH_TO_TALK, TURN)["session"]["audio"]["input"]
    assert ptt["turn_detection"] is None


async def test_changing_mode_mid_call_tells_the_service(room):
    r = room(AudioMode.HEADPHONES)
    r.barge.set_mode(AudioMode.PUSH_TO_TALK)
    assert r.types() == ["session.update"]
    assert r.sent[0]["session"]["audio"]["input"]["turn_detection"] is None
    assert AudioMode(AudioMode.PUSH_TO_TALK.value) is AudioMode.PUSH_TO_TALK  # a plain settings value


async def test_the_session_switching_to_speakers_itself_tells_the_service_too(room):
    """Headphones chosen, speakers heard (session_audio): the mode the audio layer switched to
    reaches the service as the person's own choice would: far-field noise reduction."""
    r = room(AudioMode.HEADPHONES)
    r.audio.mode = AudioMode.SPEAKERS
    r.audio.mode_did_change.emit(AudioMode.SPEAKERS)
    assert r.types() == ["session.update"]
    assert r.sent[0]["session"]["audio"]["input"]["noise_reduction"] == {"type": "far_field"}


async def test_a_flush_while_held_hands_nothing_of_the_held_reply_to_a_speaker_that_drains(room):
    """A device speaker drains the buffer into its own ring whenever it is told of new audio; a
    hold released before the drop let a block of the cut reply through (a click after barge-in)."""
    r = room(AudioMode.HEADPHONES)
    buffer = r.audio.player.buffer
    drained = []

    class DrainingSpeaker:
        def pushed(self) -> None:
            drained.append(buffer.drain(9600, 0.0))

        def held(self) -> None:
            pass

        def cleared(self) -> None:
            pass

    r.reply()
    r.play(1000)
    r.speak(128)
    assert r.barge.state is BargeState.PAUSED and buffer.buffered_ms > 0
    buffer.downstream = DrainingSpeaker()
    r.barge.interrupt("voice")
    assert sum(len(d) for d in drained) == 0 and buffer.buffered_ms == 0
