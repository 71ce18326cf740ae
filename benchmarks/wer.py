"""Word error rate and time of the engine's recogniser on espeak-ng sentences, as the engine hears
them: several voices and speeds, through an Opus round trip (what WebRTC does to the microphone),
resampled to 16 kHz, with the VAD's 300 ms of padding before and 500 ms of silence after.

    python -m benchmarks.wer                      # the old setting (beam 5, 30 s window) against the new ones
    python -m benchmarks.wer --configs 5 --voices en-us
    python -m benchmarks.wer --configs 5 --framings none,0.1:0.3 --jitter 4   # cut as the VAD cuts, or framed

`--jitter N` transcribes every utterance N more times with its padding moved by up to ±32 ms (a
VAD window) before and after, as the live VAD cuts the same words differently from call to call;
`--framings` compares passing the audio as cut ("none") with framing it by its loud part
(lead:tail seconds, `speech.framed_utterance`).

Prints one row per setting: WER over all utterances, and the median / p90 seconds per transcription.
Run it on a quiet machine, or compare settings within one run (they alternate per utterance).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SENTENCES = [
    "I have been feeling anxious about my presentation at work.",
    "My chest gets tight and my hands start to shake.",
    "Could we try a breathing exercise together?",
    "I keep thinking that everyone will laugh at me.",
    "My manager keeps adding tasks and I cannot say no.",
    "I have not been sleeping well for a few weeks.",
    "I worry about money and the rent going up.",
    "Yes, let's try that.",
    "I could go for a walk before the meeting tomorrow.",
    "My sister offered to help with the children on Wednesday.",
    "I feel lonely most weekends since I moved here.",
    "Are you a real person or a computer?",
    "The deadlines this week are making me stressed.",
    "I think that's all for today, goodbye.",
    "Sometimes I feel a bit better when I write things down.",
    "I would like to stop checking my phone in bed.",
]
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp+m3"]
SPEEDS = [150, 185]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.wer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="5full,5,1", help="comma-separated settings to compare (domain prompt "
                        "on): a beam size, with 'full' for Whisper's fixed 30 s window (the old path), else the "
                        "window fitted to the utterance")
    parser.add_argument("--voices", default=",".join(VOICES), help="espeak-ng voices")
    parser.add_argument("--speeds", default=",".join(map(str, SPEEDS)), help="espeak-ng words per minute")
    parser.add_argument("--no-opus", action="store_true", help="skip the Opus round trip")
    parser.add_argument("--framings", default="0.4:0.5", help="comma-separated: 'none' (the audio as cut) or "
                        "lead:tail seconds kept around the loud part")
    parser.add_argument("--jitter", type=int, default=0, help="extra cuts per utterance, padding moved ±32 ms")
    args = parser.parse_args(argv)
    from therapy_desktop.engine.speech import Transcriber

    settings = [(config, framing) for config in args.configs.split(",") for framing in args.framings.split(",")]
    beams = [f"{config}/{framing}" for config, framing in settings]
    transcribers = {f"{config}/{framing}": Transcriber(beam_size=int(config.removesuffix("full")),
                                                      fit_window=not config.endswith("full"),
                                                      framing=_framing(framing))
                    for config, framing in settings}
    rng = np.random.default_rng(11)
    clips = [(text, voice, int(speed), cut)
             for voice in args.voices.split(",") for speed in args.speeds.split(",") for text in SENTENCES
             for cut in _cuts(_clip(text, voice, int(speed), opus=not args.no_opus), args.jitter, rng)]
    errors = {beam: [0, 0, 0] for beam in beams}  # wrong words unfiltered, wrong words with the filter, total
    seconds: dict[str, list[float]] = {beam: [] for beam in beams}
    misheard: dict[str, list[str]] = {beam: [] for beam in beams}
    noise_turns = {beam: [0, 0] for beam in beams}  # noises that became a turn: unfiltered, filtered
    noises = _noises()
    for text, voice, speed, pcm in clips:
        for beam in beams:  # alternating, so machine load falls on both alike
            started = time.perf_counter()
            heard = transcribers[beam].transcribe_detailed(pcm, gate=False)
            seconds[beam].append(time.perf_counter() - started)
            wrong, total = word_errors(text, heard.text)
            errors[beam][0] += wrong
            errors[beam][1] += word_errors(text, heard.text if heard.is_speech else "")[0]
            errors[beam][2] += total
            if wrong or not heard.is_speech:
                misheard[beam].append(f"{voice}@{speed}: {text!r} → {heard.text!r}"
                                      f"{'' if heard.is_speech else ' (dropped as not speech)'}")
    for pcm in noises:
        for beam in beams:
            heard = transcribers[beam].transcribe_detailed(pcm, gate=False)
            noise_turns[beam][0] += bool(heard.text)
            noise_turns[beam][1] += heard.is_speech
    print(f"{len(clips)} utterances ({len(SENTENCES)} sentences × {len(args.voices.split(','))} voices × "
          f"{len(args.speeds.split(','))} speeds), Opus round trip: {not args.no_opus}")
    print("| setting | WER | WER with the not-speech filter | s per utterance, median | p90 | noises heard as words "
          f"(of {len(noises)}): unfiltered / filtered |")
    print("|---|---|---|---|---|---|")
    for beam in beams:
        wrong, filtered, total = errors[beam]
        ordered = sorted(seconds[beam])
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        config, framing = beam.split("/")
        window = "30 s window" if config.endswith("full") else "fitted window"
        framed = "as cut" if framing == "none" else f"framed {framing} s"
        print(f"| beam {config.removesuffix('full')}, {window}, {framed}, domain prompt | {100 * wrong / total:.1f}% ({wrong}/{total}) | "
              f"{100 * filtered / total:.1f}% | {statistics.median(ordered):.3f} | {p90:.3f} | "
              f"{noise_turns[beam][0]} / {noise_turns[beam][1]} |")
    for beam in beams:
        print(f"\nbeam {beam} misheard:", *misheard[beam][:12], sep="\n  ", file=sys.stderr)
    return 0


def _framing(text: str) -> tuple[float, float] | None:
    if text == "none":
        return None
    lead, tail = text.split(":")
    return float(lead), float(tail)


def _cuts(clip: np.ndarray, extra: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The clip as made (300 ms before, 500 after), and `extra` copies with both paddings moved by up
    to a VAD window (32 ms) either way."""
    window = 512
    out = [clip]
    for _ in range(extra):
        before, after = (int(x) for x in rng.integers(-window, window + 1, size=2))
        moved = clip[max(0, -before):] if before < 0 else np.concatenate([np.zeros(before, dtype=clip.dtype), clip])
        moved = moved[: len(moved) + after] if after < 0 else np.concatenate([moved, np.zeros(after, dtype=clip.dtype)])
        out.append(moved)
    return out


def _noises() -> list[np.ndarray]:
    """What is not speech but may pass a VAD: clicks, taps, a breath, a cough-like burst, hum."""
    rng = np.random.default_rng(7)
    rate = 16_000
    out = []
    for seconds, level in [(0.01, 20_000), (0.05, 12_000), (0.1, 8_000), (0.1, 20_000), (0.2, 6_000), (0.3, 3_000)]:
        burst = rng.normal(0, level / 3, int(seconds * rate)) * np.hanning(int(seconds * rate))
        out.append(burst)
    breath = rng.normal(0, 800, rate) * np.hanning(rate)  # a 1 s breath
    hum = 2_000 * np.sin(2 * np.pi * 100 * np.arange(rate // 2) / rate)  # mains hum, 0.5 s
    out += [breath, hum]
    pad_before, pad_after = np.zeros(rate * 3 // 10), np.zeros(rate // 2)
    return [np.clip(np.concatenate([pad_before, n, pad_after]), -32768, 32767).astype(np.int16) for n in out]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """Substitutions + deletions + insertions (word Levenshtein), and the reference's length."""
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1], len(ref)


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("cannot", "can not").replace("let's", "lets")
    return re.findall(r"[a-z0-9']+", text.replace("'", ""))


def _clip(text: str, voice: str, speed: int, *, opus: bool) -> np.ndarray:
    from therapy_desktop.audio.pcm import MonoResampler
    from therapy_desktop.audio.sources import decode_to_pcm

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "u.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
        pcm48 = decode_to_pcm(path, 48_000)
    if opus:
        pcm48 = _opus_round_trip(pcm48)
    pcm16 = MonoResampler(16_000).convert_pcm(pcm48, 48_000)
    silence = np.zeros(16_000 * 3 // 10, dtype=np.int16)
    return np.concatenate([silence, pcm16, np.zeros(16_000 // 2, dtype=np.int16)])


def _opus_round_trip(pcm48: np.ndarray) -> np.ndarray:
    """Encode and decode 20 ms frames with libopus (PyAV), as the app's microphone does."""
    from therapy_desktop.audio.opus_encoder import BIT_RATE

    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate, encoder.layout, encoder.format = 48_000, "mono", "s16"
    encoder.bit_rate = BIT_RATE
    encoder.options = {"application": "voip"}
    decoder = av.CodecContext.create("libopus", "r")
    decoder.sample_rate, decoder.layout, decoder.format = 48_000, "mono", "s16"
    out: list[np.ndarray] = []
    step = 960
    padded = np.concatenate([pcm48, np.zeros(-len(pcm48) % step, dtype=np.int16)])
    for index in range(0, len(padded), step):
        frame = av.AudioFrame.from_ndarray(padded[index : index + step].reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = 48_000, index, Fraction(1, 48_000)
        for packet in encoder.encode(frame):
            for decoded in decoder.decode(packet):
                out.append(decoded.to_ndarray().reshape(-1).astype(np.int16))
    return np.concatenate(out) if out else pcm48


if __name__ == "__main__":
    raise SystemExit(main())
