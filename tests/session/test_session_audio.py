"""SessionAudio's own duties that need no device: when the microphone hears the AI companion in
headphones mode (a barge-in mode that does not cancel echo), switching to speakers mode for the
session and telling the person."""

from __future__ import annotations

from types import SimpleNamespace

from therapy_desktop.audio import texts
from therapy_desktop.audio.echo_canceller import EchoCancelledSource
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.session.session_audio import SessionAudio


class _Canceller:
    def __init__(self, hears: bool) -> None:
        self.hears_speaker = hears
        self.double_talk = SimpleNamespace(correlation=0.9 if hears else 0.1)
        self.forgot = 0

    def switched(self, *, forget_echo_path: bool) -> None:
        self.forgot += forget_echo_path


def _audio(mode: AudioMode, hears: bool, switches: list[AudioMode] | None = None) -> tuple[SessionAudio, list[str]]:
    audio = SessionAudio(AudioEndpoints(), on_level=lambda _: None, on_paused=lambda _: None, mode=mode)
    notices: list[str] = []
    audio.notice_did_occur.connect(notices.append)
    if switches is not None:
        audio.mode_did_change.connect(switches.append)
    canceller = _Canceller(hears)
    audio.canceller = canceller  # type: ignore[assignment]
    audio.source = EchoCancelledSource(SimpleNamespace(), canceller)  # type: ignore[arg-type]
    audio.set_mode(mode)
    return audio, notices


def test_headphones_mode_on_a_microphone_that_hears_the_speaker_switches_to_speakers_and_says_so_once():
    switches: list[AudioMode] = []
    audio, notices = _audio(AudioMode.HEADPHONES, hears=True, switches=switches)
    assert audio.source.watch_echo and not audio.source.enabled
    for _ in range(3):
        audio._check_speaker_in_microphone()
    assert notices == [texts.SPEAKER_IN_MICROPHONE]
    assert switches == [AudioMode.SPEAKERS] and audio.mode is AudioMode.SPEAKERS
    assert audio.source.enabled and not audio.source.watch_echo  # the canceller now removes the echo


def test_headphones_chosen_again_after_the_switch_are_the_persons_call():
    """The person knows best (they may have put headphones on since): no second switch, no nag."""
    switches: list[AudioMode] = []
    audio, notices = _audio(AudioMode.HEADPHONES, hears=True, switches=switches)
    audio._check_speaker_in_microphone()
    audio.set_mode(AudioMode.HEADPHONES)
    audio._check_speaker_in_microphone()
    assert audio.mode is AudioMode.HEADPHONES and switches == [AudioMode.SPEAKERS] and len(notices) == 1


def test_nothing_is_said_when_the_microphone_does_not_hear_it_or_the_mode_cancels_or_gates_it():
    for mode, hears in ((AudioMode.HEADPHONES, False), (AudioMode.SPEAKERS, True), (AudioMode.HALF_DUPLEX, True),
                        (AudioMode.PUSH_TO_TALK, True)):
        switches: list[AudioMode] = []
        audio, notices = _audio(mode, hears, switches)
        audio._check_speaker_in_microphone()
        assert notices == [] and switches == [] and audio.mode is mode, mode
        assert audio.source.watch_echo is (mode is AudioMode.HEADPHONES)


def test_choosing_headphones_forgets_the_echo_path_learned_over_speakers():
    """Over speakers the microphone hears the speaker by design; that says nothing about the
    headphones just chosen, so the notice must not come from it."""
    audio, notices = _audio(AudioMode.SPEAKERS, hears=True)
    canceller = audio.canceller
    audio.set_mode(AudioMode.HEADPHONES)
    assert canceller.forgot == 1
    audio.set_mode(AudioMode.HEADPHONES)  # no change, nothing forgotten
    audio.set_mode(AudioMode.HALF_DUPLEX)
    assert canceller.forgot == 1


def test_nothing_is_said_while_muted():
    audio, notices = _audio(AudioMode.HEADPHONES, hears=True)
    audio.set_muted(True)
    audio._check_speaker_in_microphone()
    assert notices == [] and audio.mode is AudioMode.HEADPHONES


def test_the_echo_floor_falls_away_once_the_held_speaker_has_played_out(monkeypatch):
    """Paused for barge-in, the speaker is silent after its device buffer and the room's echo: the
    person need not be louder than an echo that is gone (AEC3 still turns them down for a while)."""
    import therapy_desktop.session.session_audio as module

    now = [100.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: now[0])
    audio, _ = _audio(AudioMode.SPEAKERS, hears=False)
    audio.canceller.reference_rms = 4000.0
    assert audio._speech_floor() == 800.0
    audio.hold_playback(True)
    now[0] += SessionAudio.ECHO_TAIL / 2
    audio.hold_playback(True)  # held again: the time counts from the first
    assert audio._speech_floor() == 800.0  # the device and the room may still sound
    now[0] += SessionAudio.ECHO_TAIL
    assert audio._speech_floor() == SessionAudio.MIN_SPEECH_RMS
    audio.hold_playback(False)
    assert audio._speech_floor() == 800.0
