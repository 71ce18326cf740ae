"""What the echo room's recordings say (issue 14's "what you heard"): for each barge-in in a
recording `echo_compare --save DIR` wrote, the words the reply had reached when the person spoke
and when it stopped (the engine's own recogniser on the speaker channel), whether the person began
over a word or in a pause between two, and a picture of the levels around it.

    python -m benchmarks.echo_listen DIR/desktop-headless-barge-ins.wav [--png OUT.png]

One row per barge-in: onset (s), stop (ms), the speaker's level in the 100 ms before the onset
(a pause if quiet), the reply's last words before the onset, and the words after it that still
reached the speaker. The PNG has one strip per barge-in: speaker (blue) and person (orange) levels
from 1 s before the onset to 1 s after, a line at the onset and one at the stop.
"""

from __future__ import annotations

import argparse
import os
import sys
import wave
from pathlib import Path

import numpy as np

from benchmarks.echo_room import LOUD, RATE, WINDOW, stop_times_ms

BEFORE_S, AFTER_S = 1.0, 1.0


def read_stereo(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 2 and w.getframerate() == RATE, "a recording of echo_compare --save"
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, 2)


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.astype(np.float32))))) if len(pcm) else 0.0


def _to_16k(pcm: np.ndarray) -> np.ndarray:
    return pcm[: len(pcm) // 3 * 3].reshape(-1, 3).mean(axis=1).astype(np.int16)  # 48 kHz → 16 kHz, enough for words


def rows(stereo: np.ndarray, transcribe) -> list[dict]:  # noqa: ANN001 - Transcriber.transcribe
    out = []
    for onset_s, stop_ms in stop_times_ms(stereo):
        onset = int(onset_s * RATE)
        stop = onset + int((stop_ms or 0) / 1000 * RATE)
        speaker = stereo[:, 0]
        out.append({
            "onset_s": round(onset_s, 2),
            "stop_ms": stop_ms,
            "level_before": round(_rms(speaker[max(0, onset - RATE // 10) : onset])),
            "words_before": transcribe(_to_16k(speaker[max(0, onset - 3 * RATE) : onset])),
            "words_after": transcribe(_to_16k(speaker[onset : stop + RATE // 10])) if stop_ms else "",
        })
    return out


def picture(stereo: np.ndarray, path: Path) -> None:
    """Levels around each barge-in, drawn with Qt offscreen (no plotting library in the app's deps)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication([])
    tries = stop_times_ms(stereo)
    width, strip = 1000, 90
    image = QImage(width, max(1, len(tries)) * strip, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    span = int((BEFORE_S + AFTER_S) * RATE)
    for row, (onset_s, stop_ms) in enumerate(tries):
        top = row * strip
        start = int(onset_s * RATE) - int(BEFORE_S * RATE)
        for channel, colour in ((0, "#1f6fd6"), (1, "#d67a1f")):
            pcm = stereo[max(0, start) : start + span, channel].astype(np.float32)
            n = len(pcm) // WINDOW
            levels = np.sqrt(np.mean(np.square(pcm[: n * WINDOW].reshape(n, WINDOW)), axis=1))
            painter.setPen(QPen(QColor(colour), 1))
            scale = (strip - 10) / np.log10(20000)
            points = [QPointF(i * width / (span / WINDOW), top + strip - 5 - np.log10(max(1.0, v)) * scale)
                      for i, v in enumerate(levels)]
            painter.drawPolyline(points)
        painter.setPen(QPen(QColor("#999999"), 1, Qt.PenStyle.DotLine))
        loud_y = top + strip - 5 - np.log10(LOUD) * (strip - 10) / np.log10(20000)
        painter.drawLine(0, int(loud_y), width, int(loud_y))
        onset_x = int(BEFORE_S / (BEFORE_S + AFTER_S) * width)
        painter.setPen(QPen(QColor("#000000"), 1))
        painter.drawLine(onset_x, top, onset_x, top + strip)
        if stop_ms is not None:
            stop_x = onset_x + int(stop_ms / 1000 / (BEFORE_S + AFTER_S) * width)
            painter.setPen(QPen(QColor("#c02020"), 2))
            painter.drawLine(stop_x, top, stop_x, top + strip)
            painter.drawText(stop_x + 4, top + 14, f"{stop_ms:.0f} ms")
        painter.setPen(QPen(QColor("#dddddd"), 1))
        painter.drawLine(0, top + strip - 1, width, top + strip - 1)
    painter.end()
    image.save(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--png", type=Path)
    args = parser.parse_args(argv)
    stereo = read_stereo(args.recording)
    from therapy_desktop.engine.speech import Transcriber

    transcriber = Transcriber()
    for row in rows(stereo, lambda pcm: transcriber.transcribe_detailed(pcm, gate=False).text):
        pause = "pause" if row["level_before"] < LOUD else "word"
        print(f"{row['onset_s']:7.2f} s  stop {row['stop_ms']} ms  before: {pause} ({row['level_before']})  "
              f"…{row['words_before'][-60:]!r} | after onset: {row['words_after']!r}")
    if args.png:
        picture(stereo, args.png)
        print(f"levels: {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
