"""Whether the person is speaking while the speaker sounds, read from the raw microphone.

AEC3's suppressor cannot tell a person speaking over the reply from echo it failed to cancel, so
during double talk it turns the person down with the echo: in the echo room the cleaned signal
fell to int16 RMS 0–30 while the person spoke at full voice, under the level floor that keeps
echo residue from counting as speech, and the local voice detector never let a barge-in start.
The raw microphone still carries the person at full level.

This predicts the echo's level in each 10 ms microphone frame from the reference: its envelope
(instant attack, a short release for the room's tail), delayed by the lag at which the
microphone's envelope follows it best, times the echo path's gain, learned from the microphone
while the speaker sounded and nobody else did. Energy well above that prediction is someone else:
the person. An energy-comparison double-talk detector, with no model of the room and a few array
operations per frame. It only speaks while the speaker sounds (when it is silent the level floor
has nothing to hide); when the echo is as loud as the person (a laptop's speaker turned up next to
its microphone) it says nothing, and the level floor decides as before.
"""

from __future__ import annotations

import collections
import math

import numpy as np

FRAME_S = 0.01  # both signals come in 10 ms frames (the echo canceller's)
MAX_LAG = 30  # frames: the echo may follow the reference by up to 300 ms (devices + air)
# ... or seem to come up to 50 ms before it: the DAC time is the device's reported latency, which
# PortAudio may overstate. The canceller feeds the reference ~100 ms ahead, so those frames are there.
MIN_LAG = -5
LAGS = MAX_LAG - MIN_LAG + 1
SLACK = 1  # frames either side of the lag: the two clocks' jitter
RELEASE_S = 0.08  # the reference envelope's fall: the room's tail after each word
HISTORY = 300  # frames (3 s) of loud reference the lag and the gain are learned from
MIN_HISTORY = 50  # 0.5 s of loud reference before any verdict: neither is known before
ESTIMATE_EVERY = 25  # frames between re-estimates of the lag and the gain
GAIN_PERCENTILE = 95.0  # of microphone / predicted echo, over frames without double talk
MARGIN = 2.0  # +6 dB over the loudest echo expected: double talk
LOUD_REFERENCE_RMS = 100.0  # int16 RMS: below this the speaker was silent
# Frames judged double talk are kept out of what is learned (the person would teach it that they
# are echo) unless that lasts this long over a sounding speaker: then the echo path changed (the
# volume went up), since a person cutting in stops the reply well before.
RELEARN_FRAMES = 100
# A microphone hears the speaker when its loudness follows the reference's this closely at the best
# lag (correlation of log levels over the last 2-3 s of sounding speaker), at a level that could pass for
# speech: about -55 dBFS, the session's quietest voice. Headphones: ~0 (the person and the room are not
# the reply; a person talking over it for seconds on end: up to ~0.6); an echo at -10 dB: 0.8-0.95.
HEARS_SPEAKER_CORRELATION = 0.7
HEARS_SPEAKER_RMS = 60.0
# ... over at least 2 s of sounding speaker: over half a second (a few syllables) the best of 36 lags
# often correlates that well with a person who just happens to be talking over the reply.
HEARS_SPEAKER_HISTORY = 200


class DoubleTalkDetector:
    """Fed on one thread (the loop): reference frames in DAC-time order (they run up to ~0.1 s
    ahead of the microphone), microphone frames in capture-time order."""

    def __init__(self) -> None:
        self._release = math.exp(-FRAME_S / RELEASE_S)
        self._t0: float | None = None  # DAC time of reference frame 0
        self._next = 0  # index of the next reference frame
        # The reference's RMS and its envelope per frame: the lag is found on the first (the
        # envelope's release would bias it short), the echo predicted from the second.
        self._level: collections.deque[float] = collections.deque(maxlen=MAX_LAG + 64)
        self._envelope: collections.deque[float] = collections.deque(maxlen=MAX_LAG + 64)
        # Per loud microphone frame: its RMS, and the reference's level and envelope at each lag
        # MIN_LAG..MAX_LAG (column 0 is MIN_LAG).
        self._mic = np.zeros(HISTORY)
        self._level_rows = np.zeros((HISTORY, LAGS))
        self._envelope_rows = np.zeros((HISTORY, LAGS))
        self._filled = 0
        self._row = 0
        self._held: list[tuple[float, np.ndarray, np.ndarray]] = []  # the current run of double talk
        self._since_estimate = ESTIMATE_EVERY
        self.lag: int | None = None  # frames the echo follows the reference by (MIN_LAG..MAX_LAG)
        self.gain: float | None = None  # microphone RMS per predicted echo RMS
        self.correlation: float | None = None  # of the microphone's loudness with the reference's, at `lag`
        self.loud_mic_rms = 0.0  # the microphone's RMS while the speaker sounded, 90th percentile (its louder syllables)
        self.double_talk = False  # the last microphone frame's verdict
        self.double_talk_frames = 0

    @property
    def hears_speaker(self) -> bool:
        """Whether the microphone carries the speaker's sound loud enough to be taken for a voice:
        a barge-in mode without echo cancellation (headphones) would then interrupt itself."""
        return (self.correlation is not None and self._filled >= HEARS_SPEAKER_HISTORY
                and self.correlation >= HEARS_SPEAKER_CORRELATION and self.loud_mic_rms >= HEARS_SPEAKER_RMS)

    def forget_echo_path(self) -> None:
        """The microphone or the way it hears the speaker changed (another device, headphones put
        on): learn lag, gain and correlation afresh. The reference's timeline is kept."""
        self._filled = self._row = 0
        self._held.clear()
        self._since_estimate = ESTIMATE_EVERY
        self.lag = self.gain = self.correlation = None
        self.loud_mic_rms = 0.0

    def restart_reference(self) -> None:
        """The reference skipped ahead (frames were not fed for a while): its frames are indexed by
        count from the first, so start that count again, and the echo path with it."""
        self._t0 = None
        self._next = 0
        self._level.clear()
        self._envelope.clear()
        self.forget_echo_path()

    def reference(self, at: float, rms: float) -> None:
        """A reference frame of `rms` reaches the DAC at `at`; silence is fed too."""
        if self._t0 is None:
            self._t0 = at
        last = self._envelope[-1] if self._envelope else 0.0
        self._level.append(rms)
        self._envelope.append(max(rms, last * self._release))
        self._next += 1

    def microphone(self, captured_at: float, rms: float) -> bool:
        """A raw microphone frame of `rms` captured at `captured_at`: True if, while the speaker
        sounded, more sounded there than its echo explains."""
        self.double_talk = self._judge(captured_at, rms)
        if self.double_talk:
            self.double_talk_frames += 1
        return self.double_talk

    def _judge(self, captured_at: float, rms: float) -> bool:
        lagged = self._reference_by_lag(captured_at)
        if lagged is None:
            self._held.clear()
            return False
        level_by_lag, envelope_by_lag = lagged
        if envelope_by_lag.max() < LOUD_REFERENCE_RMS:
            self._held.clear()
            return False  # the speaker is silent (over every lag the echo could have): nothing to tell apart
        self._estimate()
        near = False
        if self.lag is not None and self.gain is not None:
            column = self.lag - MIN_LAG
            echo = envelope_by_lag[max(0, column - SLACK) : column + SLACK + 1].max()
            near = rms > MARGIN * self.gain * max(echo, LOUD_REFERENCE_RMS)
        self._learn(rms, level_by_lag, envelope_by_lag, near)
        return near

    def _reference_by_lag(self, at: float) -> tuple[np.ndarray, np.ndarray] | None:
        """The reference's RMS and envelope at each lag MIN_LAG..MAX_LAG from the frame captured at `at`."""
        if self._t0 is None:
            return None
        index = math.floor((at - self._t0) / FRAME_S + 0.5)
        ahead = self._next - 1 - index  # reference frames fed beyond this one (the canceller's lead)
        if ahead < -MIN_LAG or ahead + MAX_LAG >= len(self._envelope):
            return None  # not fed that far yet, or too little of it kept
        end = len(self._envelope) - ahead - MIN_LAG  # one past the frame at lag MIN_LAG
        levels = list(self._level)[end - LAGS : end]
        envelope = list(self._envelope)[end - LAGS : end]
        return np.asarray(levels[::-1]), np.asarray(envelope[::-1])  # [lag MIN_LAG, …, MAX_LAG]

    def _learn(self, rms: float, level_by_lag: np.ndarray, envelope_by_lag: np.ndarray, near: bool) -> None:
        if not near:
            self._held.clear()
            self._keep(rms, level_by_lag, envelope_by_lag)
            return
        self._held.append((rms, level_by_lag, envelope_by_lag))
        if len(self._held) >= RELEARN_FRAMES:
            for held in self._held:
                self._keep(*held)
            self._held.clear()
            self._since_estimate = ESTIMATE_EVERY  # re-estimate on the next frame

    def _keep(self, rms: float, level_by_lag: np.ndarray, envelope_by_lag: np.ndarray) -> None:
        self._mic[self._row] = rms
        self._level_rows[self._row] = level_by_lag
        self._envelope_rows[self._row] = envelope_by_lag
        self._row = (self._row + 1) % HISTORY
        self._filled = min(self._filled + 1, HISTORY)

    def _estimate(self) -> None:
        self._since_estimate += 1
        if self._filled < MIN_HISTORY or self._since_estimate < ESTIMATE_EVERY:
            return
        self._since_estimate = 0
        mic = np.log(np.maximum(self._mic[: self._filled], 1.0))
        levels = np.log(np.maximum(self._level_rows[: self._filled], 1.0))
        # The lag at which the microphone's loudness follows the reference's best (correlation of logs).
        mic_c = mic - mic.mean()
        levels_c = levels - levels.mean(axis=0)
        spread = np.sqrt((levels_c**2).sum(axis=0) * (mic_c**2).sum()) + 1e-9
        correlations = (levels_c * mic_c[:, None]).sum(axis=0) / spread
        column = int(np.argmax(correlations))
        self.lag = column + MIN_LAG
        self.correlation = float(correlations[column])
        self.loud_mic_rms = float(np.percentile(self._mic[: self._filled], 90))
        lo, hi = max(0, column - SLACK), column + SLACK + 1
        echo = np.maximum(self._envelope_rows[: self._filled, lo:hi].max(axis=1), LOUD_REFERENCE_RMS)
        self.gain = float(np.percentile(self._mic[: self._filled] / echo, GAIN_PERCENTILE))
