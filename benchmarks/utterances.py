"""What the benchmark says: short neutral sentences from espeak-ng (no tool, no goodbye)."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.audio_rig import RATE, WINDOW, loud_windows
from therapy_desktop.audio.sources import decode_to_pcm

SENTENCES = [
    "I have been thinking about my week.",
    "Work has been busy but mostly fine.",
    "I would like to sleep a little better.",
    "My sister visited me on the weekend.",
    "I feel a bit tired this afternoon.",
    "Sometimes I worry about the future.",
    "I went for a long walk yesterday.",
    "I am trying to cook more at home.",
]
BREATHING = "Could we try a breathing exercise together?"  # the AI companion offers it and asks …
AGREE = "Yes, let's start."  # … and only this starts the long reply (the paced exercise), for the event-loop lag row


@dataclass(frozen=True)
class Utterance:
    text: str
    pcm: np.ndarray  # mono int16 at 48 kHz, trimmed to the voice
    voiced_seconds: float


def make(text: str) -> Utterance:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "u.wav"
        subprocess.run(["espeak-ng", "-s", "165", "-w", str(path), text], check=True)
        pcm = decode_to_pcm(path, RATE)
    loud = loud_windows(pcm)
    pcm = pcm[loud[0] : loud[-1] + WINDOW]
    return Utterance(text, pcm, len(pcm) / RATE)


def turn_utterances(turns: int) -> list[Utterance]:
    return [make(SENTENCES[i % len(SENTENCES)]) for i in range(turns)]
