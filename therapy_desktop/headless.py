"""One session without a window, for QA, checks and benchmarks.

With `--mic-wav`, the file is the microphone in real time; once it has played, the run waits
until the therapist's last reply has finished playing and no tool call is pending, then ends
the session cleanly and writes the transcript. Without it, the default devices are used until
`--timeout`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.realtime.clinic_backend import ClinicBackendKeyProvider
from therapy_desktop.realtime.keys import EphemeralKeyProvider
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.session.limits import SessionLimits
from therapy_desktop.session.reconnect import ReconnectPolicy
from therapy_desktop.session.recorder import SessionRecorder
from therapy_desktop.session.state import EndReason, SessionState
from therapy_desktop.session.stop_signals import on_stop_signals
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.storage import SessionStore, StorageError
from therapy_desktop.therapy import TherapyType

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0  # quiet this long after the file ends = the conversation is over
DEVICE_RUN_SECONDS = 300.0
POLL = 0.1


@dataclass(frozen=True)
class HeadlessOptions:
    therapy: TherapyType
    mic_wav: Path | None = None
    speaker_wav: Path | None = None
    transcript: Path | None = None
    timeout: float | None = None
    mode: str = "demo"  # as recorded in the history
    mood_before: int | None = None
    record: bool = True  # into the history, like a session in the window
    reconnect: ReconnectPolicy | None = None
    config: SessionConfig | None = None  # from the settings; None: the defaults
    limits: SessionLimits | None = None  # the settings' session length; None: the default 30 minutes
    input_device: str | None = None  # the devices chosen in the settings (a WAV file given wins)
    output_device: str | None = None
    audio_mode: AudioMode = AudioMode.HALF_DUPLEX


async def run_headless(options: HeadlessOptions, provider: EphemeralKeyProvider) -> int:
    """Returns the process exit code. Whatever went wrong is printed as it happens (one line
    each) and makes the run fail: a QA run never ends with 0 over an error it did not show."""
    audio = AudioEndpoints(mic_wav=options.mic_wav, speaker_wav=options.speaker_wav,
                           input_device=options.input_device, output_device=options.output_device)
    session = TherapySession(options.therapy, provider, audio, reconnect=options.reconnect, config=options.config,
                             limits=options.limits)
    session.barge_in.set_mode(options.audio_mode)
    session.audio.notice_did_occur.connect(_notice)  # a chosen device not connected: the default, said so
    session.audio.problem_did_occur.connect(_notice)  # no device left after one stopped: said, the run goes on
    try:
        store = await SessionStore.open_async() if options.record else None
    except StorageError as exc:
        return _fail(str(exc))
    try:
        recorder = SessionRecorder(store, session, mode=options.mode, mood_before=options.mood_before) if store else None
        code = await _run(session, recorder, options)
    finally:
        if store is not None:
            await store.close_async()  # runs the queued writes first
    if isinstance(provider, ClinicBackendKeyProvider) and provider.backend_session_id is not None:
        await _report_end_to_backend(provider, session)
    return code


async def _report_end_to_backend(provider: ClinicBackendKeyProvider, session: TherapySession) -> None:
    """The clinic records the session too; an end it cannot take now waits in the queue for the
    next start (`end` never raises)."""
    async with httpx.AsyncClient() as http:
        outcome = await provider.end(http, session.summary.summary if session.summary else None, None)
    log.info("clinic backend end: %s", outcome)


async def _run(session: TherapySession, recorder: SessionRecorder | None, options: HeadlessOptions) -> int:
    stop = asyncio.Event()  # Ctrl-C or SIGTERM: the session ends cleanly, the transcript is written
    with on_stop_signals(stop.set):
        return await _run_until_stopped(session, recorder, options, stop)


async def _run_until_stopped(session: TherapySession, recorder: SessionRecorder | None, options: HeadlessOptions,
                             stop: asyncio.Event) -> int:
    errors: list[str] = []
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    if session.state is SessionState.ERROR:
        return _fail(errors[-1] if errors else "the session could not start")
    session.events.error_did_occur.connect(_report)
    for message in errors:
        _report(message)
    deadline = time.monotonic() + (options.timeout or _default_timeout(session, options))
    finished = await _wait_for_end_of_conversation(session, options, deadline, stop)
    await session.end()
    await session.safety.settled()  # a moderation verdict still on its way belongs in the transcript
    if recorder is not None:
        await recorder.flushed()
        if recorder.failed is not None:
            _report(str(recorder.failed))
            errors.append(str(recorder.failed))
    if options.transcript is not None:
        try:
            await asyncio.to_thread(_write_transcript, options.transcript, session, recorder)
        except OSError as exc:
            return _fail(f"could not write the transcript to {options.transcript}: {exc.strerror or exc}")
    if session.outcome is not None and session.outcome.reason is EndReason.ERROR:
        return 1  # its sentence was printed when it happened
    if stop.is_set():
        return 0 if options.mic_wav is None else 130  # Ctrl-C on a file run: interrupted, transcript kept
    if not finished and options.mic_wav is not None:
        seconds = options.timeout or _default_timeout(session, options)
        return _fail(f"timed out after {seconds:.0f} s before the conversation settled")
    return 1 if errors else 0


def _notice(message: str) -> None:
    print(f"therapy-desktop: {message}", file=sys.stderr, flush=True)


def _report(message: str) -> None:
    print(f"therapy-desktop: error: {message}", file=sys.stderr, flush=True)


def _default_timeout(session: TherapySession, options: HeadlessOptions) -> float:
    if options.mic_wav is None:
        return DEVICE_RUN_SECONDS
    return (session.audio.mic_seconds or 0.0) + 120.0


async def _wait_for_end_of_conversation(
    session: TherapySession, options: HeadlessOptions, deadline: float, stop: asyncio.Event
) -> bool:
    quiet_since: float | None = None
    while time.monotonic() < deadline and not stop.is_set():
        if not session.state.is_live:
            return True
        if session.state is SessionState.DISCONNECTED:
            return True  # reconnecting gave up: the run ends with that sentence
        if options.mic_wav is not None and session.audio.mic_exhausted and session.state.is_in_call:
            if session.is_quiet:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= SETTLE_SECONDS:
                    return True
            else:
                quiet_since = None
        await asyncio.sleep(POLL)
    return options.mic_wav is None or stop.is_set()


def _write_transcript(path: Path, session: TherapySession, recorder: SessionRecorder | None) -> None:
    data = session.transcript.to_json()
    flag = session.safety.flag
    for item in data["items"]:
        if flag.is_flagged(item["item_id"]):  # each item on its own, whether or not the panel was up
            item["crisis"] = True
            item["nets"] = sorted(str(net) for net in flag.nets_for(item["item_id"]))
    data["session_id"] = recorder.session_id if recorder is not None else None
    data["crisis_flagged"] = flag.raised
    calls = session.calls.calls
    data["session"] = {
        "therapy_type": str(session.therapy_type),
        "call_id": calls[0].call_id if calls else None,
        "call_ids": [call.call_id for call in calls],
        "end_reason": str(session.outcome.reason) if session.outcome else None,
        "connect_seconds": round(calls[0].report.total, 3) if calls else None,
        "summary": asdict(session.summary) if session.summary else None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fail(message: str) -> int:
    print(f"therapy-desktop: error: {message}", file=sys.stderr)
    return 1
