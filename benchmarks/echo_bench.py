"""Echo-room section of the benchmark: what the canceller removes and costs.

    python -m benchmarks.echo_bench            # synthetic room + the PulseAudio echo room

1. Synthetic room: espeak-ng speech as the AI companion's voice, echoed 60 ms later at -10 dB
   with a reflection, a person speaking over it from 4 s; the reference offered block by block as
   the speaker callback offers it. Echo removed (dB) after the first 1.5 s, the person's level
   during double talk, CPU seconds per minute of audio, latency the canceller adds.
2. PulseAudio echo room (benchmarks/echo_room.py): real PortAudio devices, the speaker's output
   back into the microphone 40 ms later at -9 dB; echo removed per stretch of a 10 s reply.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from therapy_desktop.audio.echo_canceller import APM_FRAME, EchoCanceller, FarEndTap
from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler
from therapy_desktop.audio.sources import decode_to_pcm

FAR_TEXT = ("Breathe in slowly through your nose, hold it for a moment, and now let it go. Notice how your "
            "shoulders soften as you breathe out, and let the thoughts come and go like clouds in the sky.")
NEAR_TEXT = "Wait, that is not what I meant at all."


def _db(pcm: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(pcm.astype(np.float64))) + 1e-9))


def _speech(text: str, folder: Path, voice: str = "en") -> np.ndarray:
    path = folder / f"{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return decode_to_pcm(path)


def synthetic(folder: Path) -> dict[str, float]:
    far = _speech(FAR_TEXT, folder)
    person = 0.8 * _speech(NEAR_TEXT, folder, "en+f3")
    delay = int(0.06 * SAMPLE_RATE)
    mic = np.zeros(len(far) + delay)
    mic[delay:] += 0.3 * far
    mic[delay + 480 :] += 0.1 * far[: len(mic) - delay - 480]
    talk = 4 * SAMPLE_RATE
    mic[talk : talk + len(person)] += person
    mic16 = np.clip(mic, -32768, 32767).astype(np.int16)
    far = np.concatenate([far, np.zeros(len(mic16) - len(far) + SAMPLE_RATE, dtype=np.int16)])
    now = [0.0]  # audio time: the loop runs faster than real time, the timestamps must not
    tap = FarEndTap(clock=lambda: now[0])
    canceller = EchoCanceller(tap)
    block = SAMPLE_RATE // 50
    out = []
    started = time.process_time()
    for i in range(0, len(mic16) - block + 1, block):
        now[0] = (i + block) / SAMPLE_RATE  # mic block i was just captured
        ahead = i + 3 * block  # the far block that sounds 40 ms from now, offered now
        tap.offer(far[ahead : ahead + block], SAMPLE_RATE, ahead / SAMPLE_RATE)
        out.append(canceller.process(mic16[i : i + block], i / SAMPLE_RATE))
    cpu = time.process_time() - started
    cleaned = np.concatenate(out)
    echo = slice(int(1.5 * SAMPLE_RATE), talk)
    talk_slice = slice(talk, talk + len(person))
    seconds = len(mic16) / SAMPLE_RATE
    return {
        "echo removed (dB)": _db(mic16[echo]) - _db(cleaned[echo]),
        "person during double talk vs alone (dB)": _db(cleaned[talk_slice]) - _db(person),
        "CPU s per minute of audio (process time)": cpu / seconds * 60,
        "canceller's own time, s per minute": canceller.busy_seconds / seconds * 60,
        "latency added (ms, held back to fill 10 ms frames)": APM_FRAME / SAMPLE_RATE * 1000,
    }


async def pulse_room(pause: float = 3.0) -> dict[str, float]:
    """A reply, a pause with nothing queued for the speaker, the same reply again: echo removed in
    each reply's first second (the canceller must keep its alignment across the pause) and after."""
    from benchmarks.echo_room import echo_room
    from therapy_desktop.audio.devices import DeviceMicrophone, DeviceSpeaker
    from therapy_desktop.audio.jitter_buffer import JitterBuffer

    folder = Path(tempfile.mkdtemp())
    far48 = _speech(FAR_TEXT, folder)
    with echo_room():
        import sounddevice as sd

        sd._terminate()
        sd._initialize()
        mic, speaker = DeviceMicrophone(None), DeviceSpeaker(None)
        buffer = JitterBuffer(speaker.rate)
        await speaker.start(buffer)
        tap = FarEndTap()
        speaker.reference = tap
        canceller = EchoCanceller(tap)
        far = MonoResampler(speaker.rate).convert_pcm(far48, SAMPLE_RATE)
        reply_s = len(far) / speaker.rate
        replies = (0.0, reply_s + pause)
        raw, cleaned = [], []
        step, frame = speaker.rate // 50, 0
        pushed = dict.fromkeys(replies, 0)  # samples of each reply handed to the speaker so far
        t0 = time.monotonic()
        while (elapsed := time.monotonic() - t0) < replies[1] + reply_s + 1.0:
            frame += 1
            await asyncio.sleep(max(0.0, t0 + frame * 0.02 - time.monotonic()))
            for start in replies:
                if elapsed >= start and pushed[start] < len(far) and buffer.buffered_ms < 100:
                    chunk = far[pushed[start] : pushed[start] + 2 * step]
                    buffer.push(chunk)
                    pushed[start] += len(chunk)
            pcm = mic.read(SAMPLE_RATE // 50)
            raw.append(pcm)
            # the device reports no capture time until its first timed callback: assume "just now"
            captured = mic.capture_time or time.monotonic() - len(pcm) / SAMPLE_RATE
            cleaned.append(canceller.process(pcm, captured))
        mic.close()
        await speaker.close()
    shutil.rmtree(folder, ignore_errors=True)
    r, c = np.concatenate(raw), np.concatenate(cleaned)
    result = {}
    for number, start in enumerate(replies, 1):
        begin = int((start + 0.3) * SAMPLE_RATE)  # the echo arrives a little after the push
        for name, part in (("first second", slice(begin, begin + SAMPLE_RATE)),
                           ("the rest", slice(begin + SAMPLE_RATE, int((start + reply_s) * SAMPLE_RATE)))):
            result[f"reply {number}, {name}: echo removed (dB)"] = _db(r[part]) - _db(c[part])
    result["reference frames per microphone frame"] = canceller.reference_frames / max(canceller.frames, 1)
    return result


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    print("Echo canceller, synthetic room")
    for name, value in synthetic(folder).items():
        print(f"  {name:<55} {value:8.2f}")
    shutil.rmtree(folder, ignore_errors=True)
    if shutil.which("pulseaudio"):
        print("Echo canceller, PulseAudio echo room (real PortAudio devices)")
        for name, value in asyncio.run(pulse_room()).items():
            print(f"  {name:<55} {value:8.2f}")


if __name__ == "__main__":
    main()
