"""Turn raw runs into the table of benchmarks/README.md."""

from __future__ import annotations

from typing import Any

from benchmarks.stats import median, p90, percentile

Row = tuple[str, str, dict[str, float | None]]  # (group, label, value per client)


def summarize(runs: list[dict[str, Any]]) -> list[Row]:
    clients = sorted({r["client"] for r in runs})
    by: dict[str, list[dict[str, Any]]] = {c: [r for r in runs if r["client"] == c] for c in clients}
    rows: list[Row] = []

    def add(group: str, label: str, value: Any) -> None:
        rows.append((group, label, {c: value(by[c]) for c in clients}))

    def connect(step: str) -> Any:
        return lambda rs: _ms(median(r["connect_s"].get(step) for r in rs if step in r["connect_s"]))

    add("1. Connect (ms, median)", "total: start → session.updated", connect("total"))
    add("1. Connect (ms, median)", "key minting", connect("key"))
    add("1. Connect (ms, median)", "microphone permission/open (browser only)", connect("microphone"))
    add("1. Connect (ms, median)", "offer + ICE gathering", connect("offer"))
    add("1. Connect (ms, median)", "HTTP answer (POST /realtime/calls)", connect("answer"))
    add("1. Connect (ms, median)", "ICE + DTLS + SCTP (channel open)", connect("transport"))
    add("1. Connect (ms, median)", "session.update → session.updated", connect("session_updated"))

    def latencies(rs: list[dict[str, Any]]) -> list[float]:
        return [v for r in rs for v in r["latency_ms"] if v is not None]

    def engine(rs: list[dict[str, Any]], key: str = "engine_ms") -> list[float]:
        return [t[key] for r in rs for t in r["engine_turns"] if t]

    def client_share(rs: list[dict[str, Any]]) -> list[float]:
        out = []
        for r in rs:
            for latency, turn in zip(r["latency_ms"], r["engine_turns"], strict=False):
                if latency is not None and turn:
                    out.append(latency - turn["engine_ms"])
        return out

    add("2. Reply latency as heard (ms)", "end of speech → first reply sample, median", lambda rs: median(latencies(rs)))
    add("2. Reply latency as heard (ms)", "… p90", lambda rs: p90(latencies(rs)))
    add("2. Reply latency as heard (ms)", "turns measured", lambda rs: float(len(latencies(rs))))
    add("2. Reply latency as heard (ms)", "engine: VAD silence window", lambda rs: median(engine(rs, "vad_silence_ms")))
    add("2. Reply latency as heard (ms)", "engine: transcription", lambda rs: median(engine(rs, "transcribe_ms")))
    add("2. Reply latency as heard (ms)", "engine: synthesis of the first sentence", lambda rs: median(engine(rs, "synthesize_ms")))
    add("2. Reply latency as heard (ms)", "engine: leading silence in the voice", lambda rs: median(engine(rs, "leading_silence_ms")))
    add("2. Reply latency as heard (ms)", "engine share, total (median)", lambda rs: median(engine(rs)))
    add("2. Reply latency as heard (ms)", "client + network + devices share, median", lambda rs: median(client_share(rs)))
    add("2. Reply latency as heard (ms)", "… p90", lambda rs: p90(client_share(rs)))

    def desktop(rs: list[dict[str, Any]], key: str, q: float = 0.5) -> float | None:
        values = [v for r in rs for v in r.get("desktop", {}).get(key, [])]
        return percentile(values, q)

    def desktop_scalar(rs: list[dict[str, Any]], key: str) -> float | None:
        return median(r["desktop"][key] for r in rs if key in r.get("desktop", {}))

    add("3. Audio path, desktop (ms)", "mic: PortAudio input latency (capture → callback)", lambda rs: desktop_scalar(rs, "input_latency_ms"))
    add("3. Audio path, desktop (ms)", "mic: callback → frame handed to aiortc, median", lambda rs: desktop(rs, "mic_read_delay_ms"))
    add("3. Audio path, desktop (ms)", "mic: Opus encode, median", lambda rs: desktop(rs, "encode_ms"))
    add("3. Audio path, desktop (ms)", "uplink total: capture → RTP sent (sum of medians)", _uplink)
    add("3. Audio path, desktop (ms)", "speaker: RTP received → decoded frame (aiortc jitter buffer), median", lambda rs: desktop(rs, "rtp_to_frame_ms"))
    add("3. Audio path, desktop (ms)", "… p90", lambda rs: desktop(rs, "rtp_to_frame_ms", 0.9))
    add("3. Audio path, desktop (ms)", "speaker: our jitter buffer + speaker ring, median", lambda rs: desktop(rs, "buffer_ms"))
    add("3. Audio path, desktop (ms)", "speaker: PortAudio output latency", lambda rs: desktop_scalar(rs, "output_latency_ms"))
    add("3. Audio path, desktop (ms)", "downlink total: RTP received → device (sum of medians)", _downlink)
    add("3. Audio path, desktop (ms)", "speaker: device underflows, all runs (count)",
        lambda rs: _total(rs, "speaker_underflows"))
    add("3. Audio path, desktop (ms)", "speaker: ring ran dry mid-stream, all runs (count)", lambda rs: _total(rs, "speaker_gaps"))

    add("4. Cost of a session", "CPU seconds per minute of conversation", lambda rs: median(r["cpu_s_per_min"] for r in rs))
    add("4. Cost of a session", "peak memory, MB (max of summed RSS, sampled 4 Hz)", lambda rs: max(r["peak_rss_sampled_mb"] for r in rs))
    add("4. Cost of a session", "peak memory, MB (sum of per-process VmHWM)", lambda rs: max(r["peak_rss_vmhwm_mb"] for r in rs))

    add("5. Event-loop lag while the therapist speaks (ms)", "p50", lambda rs: _lag(rs, 0.5))
    add("5. Event-loop lag while the therapist speaks (ms)", "p99", lambda rs: _lag(rs, 0.99))
    add("5. Event-loop lag while the therapist speaks (ms)", "max", lambda rs: _lag(rs, 1.0))

    add("6. Start-up (ms)", "launch → window shown", lambda rs: median(
        (r["desktop"]["window_shown_at"] - r["launched_at"]) * 1000 for r in rs if "window_shown_at" in r.get("desktop", {})))
    return rows


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _median_of(rs: list[dict[str, Any]], key: str) -> float | None:
    return median(v for r in rs for v in r.get("desktop", {}).get(key, []))


def _uplink(rs: list[dict[str, Any]]) -> float | None:
    latency = median(r["desktop"]["input_latency_ms"] for r in rs if "input_latency_ms" in r.get("desktop", {}))
    return _sum([latency, _median_of(rs, "mic_read_delay_ms"), _median_of(rs, "encode_ms")])


def _total(rs: list[dict[str, Any]], key: str) -> float | None:
    counts = [r["desktop"][key] for r in rs if key in r.get("desktop", {})]
    return float(sum(counts)) if counts else None


def _downlink(rs: list[dict[str, Any]]) -> float | None:
    latency = median(r["desktop"]["output_latency_ms"] for r in rs if "output_latency_ms" in r.get("desktop", {}))
    return _sum([_median_of(rs, "rtp_to_frame_ms"), _median_of(rs, "buffer_ms"), latency])


def _lag(rs: list[dict[str, Any]], q: float) -> float | None:
    values = []
    for r in rs:
        d = r.get("desktop")
        if not d:
            continue
        spans, start = [], None
        for at, state in d["states"]:
            if state == "therapist_speaking" and start is None:
                start = at
            elif state != "therapist_speaking" and start is not None:
                spans.append((start, at))
                start = None
        values += [lag for at, lag in d["loop_lag_ms"] if any(a <= at <= b for a, b in spans)]
    return percentile(values, q)


def write_table(rows: list[Row], clients: list[str]) -> str:
    shown = [c for c in clients if any(c in values for _, _, values in rows)]
    desktops = [c for c in shown if c.startswith("desktop")]
    ratio_columns = [d for d in desktops if "browser" in shown]
    header = ["", *shown, *(f"{d.removeprefix('desktop-')} ÷ browser" for d in ratio_columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    group = None
    for name, label, values in rows:
        if name != group:
            group = name
            lines.append(f"| **{name}** |" + " |" * (len(header) - 1))
        cells = [_fmt(values.get(c)) for c in shown]
        for d in ratio_columns:
            a, b = values.get(d), values.get("browser")
            cells.append(f"{a / b:.2f}" if a is not None and b else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
