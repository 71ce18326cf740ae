"""The composition root: reads the command line and settings, builds the objects, runs the loop."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import math
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from therapy_desktop.demo import DemoEngineHost
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.providers import ProviderContext, default_mode, key_provider
from therapy_desktop.therapy import TherapyType

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from therapy_desktop.history_host import HistoryHost
    from therapy_desktop.realtime.session_config import SessionConfig
    from therapy_desktop.settings import Settings
    from therapy_desktop.session.reconnect import ReconnectPolicy
    from therapy_desktop.ui.settings_dialog import SettingsTools

    from therapy_desktop.audio.endpoints import AudioEndpoints
    from therapy_desktop.audio.modes import AudioMode
    from therapy_desktop.realtime.keys import EphemeralKeyProvider
    from therapy_desktop.realtime.voice_preview import Preview

    from therapy_desktop.session.therapy_session import TherapySession
    from therapy_desktop.ui.session_controller import SessionRequest, StartedSession


class _OneLineParser(argparse.ArgumentParser):
    """A bad command line is one line and exit status 2, not a page of usage."""

    def error(self, message: str) -> NoReturn:
        _refuse(f"{message} (see --help)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return value


def _mood(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 10:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 10, not {text!r}")
    return int(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _OneLineParser(prog="therapy-desktop", description="Talk by voice with an AI companion.")
    parser.add_argument("--mode", choices=[m.value for m in ConnectMode], help="how to connect (default: OpenAI if a key is stored, else Demo)")
    parser.add_argument("--therapy", choices=[t.value for t in TherapyType], default=TherapyType.GENERAL.value)
    parser.add_argument("--headless", action="store_true", help="run one session without a window")
    parser.add_argument("--mic-wav", type=Path, help="headless: play this audio file as the microphone")
    parser.add_argument("--speaker-wav", type=Path, help="headless: record what the therapist says to this WAV file")
    parser.add_argument("--transcript", type=Path, help="headless: write the transcript as JSON here")
    parser.add_argument("--mood-before", type=_mood, help="headless: how the person feels at the start, 1-10")
    parser.add_argument("--timeout", type=_seconds, help="headless: give up (file mic) or stop (devices) after this many seconds")
    parser.add_argument("--accept-terms", action="store_true", help="headless: I have read and accept the terms")
    parser.add_argument("--audio-mode", choices=HEADLESS_AUDIO_MODES,
                        help="headless: how the sound is handled (default: the setting on devices, half_duplex with --mic-wav)")
    parser.add_argument("--verbose", "-v", action="store_true", help="log details to stderr")
    parser.add_argument("--debug", action="store_true", help="write details to the log file and the terminal")
    args = parser.parse_args(argv)
    headless_only = (args.mic_wav, args.speaker_wav, args.transcript, args.timeout, args.mood_before, args.audio_mode)
    if not args.headless and any(v is not None for v in headless_only):
        _refuse("--mic-wav, --speaker-wav, --transcript, --timeout, --mood-before and --audio-mode need --headless")
    problem = _path_problem(args) or (_consent_problem(args) if args.headless else None)
    if problem:
        _refuse(problem)
    return args


def _refuse(problem: str) -> NoReturn:
    """A bad command line: one line, exit status 2, before anything starts."""
    print(f"therapy-desktop: error: {problem}", file=sys.stderr)
    raise SystemExit(2)


def _path_problem(args: argparse.Namespace) -> str | None:
    if args.mic_wav is not None:
        if args.mic_wav.is_dir():
            return f"--mic-wav: {args.mic_wav} is a folder, not an audio file"
        if not args.mic_wav.is_file():
            return f"--mic-wav: no such file: {args.mic_wav}"
        from therapy_desktop.audio.sources import audio_file_problem  # PyAV only when a file is given

        problem = audio_file_problem(args.mic_wav)
        if problem:
            return f"--mic-wav: {problem}"
    for flag, path in (("--speaker-wav", args.speaker_wav), ("--transcript", args.transcript)):
        if path is None:
            continue
        if path.is_dir():
            return f"{flag}: {path} is a folder; give a file name"
        folder = path.parent
        while not folder.exists():  # missing folders are created; the nearest existing one must be writable
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            return f"{flag}: cannot write into {folder}"

    return None


COMMANDS = ("history", "export", "forget")
# Push-to-talk needs a key held down: not something a window-less run has. The window has its Talk
# control (ui/mic_controls.py: Space or Hold to talk), so the dialog offers the mode; a build without it
# would set this False, and a stored push-to-talk would then start half-duplex (the microphone never opens).
WINDOW_HAS_PUSH_TO_TALK = True
HEADLESS_AUDIO_MODES = ("speakers", "headphones", "half_duplex")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return _command(argv[0], argv[1:])
    args = parse_args(argv)
    from therapy_desktop.logs import configure_logging

    configure_logging(debug=args.debug, verbose=args.verbose, headless=args.headless)
    if args.headless:
        try:
            return asyncio.run(_headless(args))
        except KeyboardInterrupt:
            return 130
    return _window(args)


CALL_CAP_ENV = "THERAPY_DESKTOP_CALL_CAP_SECONDS"
FORGOTTEN = "Everything this app stored on this computer was deleted ({count} items). It starts as on its first day."


def reconnect_policy() -> ReconnectPolicy:
    """The service's 60-minute cap, or a shorter one from THERAPY_DESKTOP_CALL_CAP_SECONDS (soak
    tests, and servers with a shorter limit): the call is renewed at a pause before it."""
    from therapy_desktop.session.reconnect import ReconnectPolicy

    raw = os.environ.get(CALL_CAP_ENV, "").strip()
    try:
        cap = float(raw) if raw else None
    except ValueError:
        cap = None
    if cap is None or not math.isfinite(cap) or cap <= 0:
        return ReconnectPolicy()
    return ReconnectPolicy(call_cap=cap, renew_margin=min(120.0, cap / 4))


def pending_backend_ends() -> Path:
    """Ends the clinic backend could not take yet, kept with the history until it can."""
    from therapy_desktop.storage import data_dir

    return data_dir() / "pending-backend-ends.json"


def _command(name: str, argv: list[str]) -> int:
    """`history`, `export`, `forget`: records and clean-up, no session."""
    from therapy_desktop import history_cli

    if name == "history":
        return history_cli.history_main(argv)
    if name == "export":
        return history_cli.export_main(argv)
    return _forget(argv)


def _forget(argv: list[str]) -> int:
    from therapy_desktop.forget import forget_everything

    parser = _OneLineParser(prog="therapy-desktop forget", description="Delete what this app stored on this machine.")
    parser.add_argument("--all", action="store_true", required=True,
                        help="everything: history, moods, safety plan, consent, settings, logs")
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting")
    parser.add_argument("--credentials", action="store_true", help="also delete the stored API key and clinic token")
    args = parser.parse_args(argv)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    if not args.yes:
        if not interactive:
            _refuse("forget --all deletes every saved session; add --yes to confirm")
        if input("Delete every saved session, your safety plan and settings? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 0
    credentials = args.credentials
    if not credentials and interactive:
        credentials = input("Also delete the stored API key and clinic token? [y/N] ").strip().lower() in ("y", "yes")
    removed = forget_everything(credentials=credentials, other_folders=app_folders())
    print(FORGOTTEN.format(count=len(removed)))
    return 0


def app_folders() -> tuple[Path, ...]:
    """The app's own config and log folders (the data folder is the history's)."""
    from therapy_desktop.logs import log_dir
    from therapy_desktop.settings import config_dir

    return (config_dir(), log_dir())


def _consent_problem(args: argparse.Namespace) -> str | None:
    """Headless runs need the terms accepted: before, in the window, or now with --accept-terms."""
    from therapy_desktop.storage.consent import accepted_version, record_acceptance
    from therapy_desktop.therapy import CONSENT_VERSION, needs_consent
    from therapy_desktop.therapy.consent import CONSENT_REQUIRED_HEADLESS

    if args.accept_terms or os.environ.get("THERAPY_DESKTOP_ACCEPT_TERMS", "").strip() == "1":
        if needs_consent(accepted_version()):
            record_acceptance(CONSENT_VERSION)
        return None
    return CONSENT_REQUIRED_HEADLESS if needs_consent(accepted_version()) else None


def _window(args: argparse.Namespace) -> int:
    from therapy_desktop.ui.main import run_window  # Qt only when there is a window

    demo = DemoEngineHost()
    preloading: list[asyncio.Task[object]] = []

    from therapy_desktop.history_host import HistoryHost

    history = HistoryHost()
    sessions: list[TherapySession] = []  # the latest one: the Settings dialog leaves its devices alone

    async def make_session(request: SessionRequest) -> StartedSession:
        from therapy_desktop.therapy import needs_check_in
        from therapy_desktop.ui.session_controller import StartedSession

        await history.refuse_over_daily_limit()
        last_use, last_flagged = await history.earlier_use()
        settings = await asyncio.to_thread(load_settings)  # read afresh: the dialog may have changed them
        provider = key_provider(request.mode, provider_context(settings, demo, str(request.therapy), request.mood_before))
        session = new_session(request.therapy, provider, settings, last_use=last_use)
        sessions[:] = [session]
        return StartedSession(session, history.recorder(session, request), _backend_finish(provider, session),
                              check_in=needs_check_in(last_flagged, datetime.now(UTC)))

    async def choose_mode() -> ConnectMode:
        return ConnectMode(args.mode) if args.mode else await default_mode(load_settings().mode)

    def on_mode_chosen(mode: ConnectMode) -> None:
        # The window is up: load the session's modules (aiortc, PyAV) behind it, and the Demo
        # engine's models only when Demo is the choice (they cost ~300 MB and two cores for 2 s).
        if not preloading:
            preloading.append(asyncio.get_event_loop().create_task(_preload("therapy_desktop.session.therapy_session")))
        if mode is ConnectMode.DEMO:
            demo.warm_up()

    return run_window(
        make_session=make_session,
        choose_mode=choose_mode,
        therapy=TherapyType(args.therapy),
        on_mode_chosen=on_mode_chosen,
        on_quit=lambda: _quit(demo, history),
        history_store=history.store,
        forget_everything=lambda credentials: _forget_from_window(history, credentials),
        settings_tools=_settings_tools(demo, lambda: any(s.state.is_live for s in sessions)),
    )


def _settings_tools(demo: DemoEngineHost, sound_in_use: Callable[[], bool]) -> SettingsTools:
    """What the Settings dialog needs, built here: the UI never reaches the keyring itself."""
    from therapy_desktop.realtime.secrets import KeyringSecretStore
    from therapy_desktop.settings import SettingsStore
    from therapy_desktop.settings.connection_test import test_openai_connection
    from therapy_desktop.ui.settings_dialog import SettingsTools

    return SettingsTools(SettingsStore(), KeyringSecretStore(), test_openai_connection,
                         preview_voice=voice_previewer(demo), sound_in_use=sound_in_use,
                         push_to_talk=WINDOW_HAS_PUSH_TO_TALK)


def voice_previewer(demo: DemoEngineHost) -> Callable[[Settings, str | None], Awaitable[Preview]]:
    """The dialog's Preview voice: the Demo engine's voice in Demo mode, OpenAI's speech endpoint
    with the API key in OpenAI mode (THERAPY_DESKTOP_MODE and Automatic resolved as at Start)."""
    from therapy_desktop.realtime.voice_preview import VoiceSample
    from therapy_desktop.settings.voice_preview import voice_preview

    async def demo_voice(text: str) -> VoiceSample:
        from therapy_desktop.audio.pcm import SAMPLE_RATE

        pcm = await demo.speak(text)
        return VoiceSample(pcm.astype("<i2").tobytes(), SAMPLE_RATE)

    async def preview(settings: Settings, typed_api_key: str | None) -> Preview:
        return await voice_preview(settings, typed_api_key, demo_voice=demo_voice, mode_for=default_mode)

    return preview


def new_session(therapy: TherapyType, provider: EphemeralKeyProvider, settings: Settings, *,
                last_use: datetime | None = None) -> TherapySession:
    """A session as the window starts it: the settings' configuration, devices and audio mode."""
    from therapy_desktop.audio.modes import AudioMode
    from therapy_desktop.session.limits import SessionLimits
    from therapy_desktop.session.therapy_session import TherapySession

    session = TherapySession(therapy, provider, session_endpoints(settings), reconnect=reconnect_policy(),
                             last_use=last_use, config=session_config(settings, therapy),
                             limits=SessionLimits(max_minutes=settings.session_minutes))
    mode = settings.audio_mode
    if mode is AudioMode.PUSH_TO_TALK and not WINDOW_HAS_PUSH_TO_TALK:
        mode = AudioMode.HALF_DUPLEX
    session.barge_in.set_mode(mode)  # before the call: its first session.update carries the mode
    return session


def session_endpoints(settings: Settings, mic_wav: Path | None = None, speaker_wav: Path | None = None) -> AudioEndpoints:
    """The devices the person chose (by name; one no longer connected becomes the default with a
    notice when the session opens it); a WAV file given on the command line wins over its side."""
    from therapy_desktop.audio.endpoints import AudioEndpoints

    return AudioEndpoints(mic_wav=mic_wav, speaker_wav=speaker_wav, input_device=settings.input_device or None,
                          output_device=settings.output_device or None)


def headless_audio_mode(args: argparse.Namespace, settings: Settings) -> AudioMode:
    """--audio-mode wins; else the setting when the run uses the microphone device (push-to-talk,
    which needs a key held, becomes half-duplex); a --mic-wav run is half-duplex, as its timing assumes."""
    from therapy_desktop.audio.modes import AudioMode

    if args.audio_mode:
        return AudioMode(args.audio_mode)
    if args.mic_wav is None and settings.audio_mode is not AudioMode.PUSH_TO_TALK:
        return settings.audio_mode
    return AudioMode.HALF_DUPLEX


def load_settings() -> Settings:
    from therapy_desktop.settings import SettingsStore

    store = SettingsStore()
    settings = store.load()
    if store.notice:
        logging.getLogger(__name__).warning("%s", store.notice)
    return settings


def provider_context(settings: Settings, demo: DemoEngineHost, therapy: str, mood_before: int | None) -> ProviderContext:
    from therapy_desktop.settings.connection_test import base_url_for

    return ProviderContext(demo.endpoint, therapy_type=therapy, mood_before=mood_before, pending_ends=pending_backend_ends(),
                           backend_url=settings.backend_url or None, openai_base_url=base_url_for(settings))


def session_config(settings: Settings, therapy: TherapyType) -> SessionConfig:
    from therapy_desktop.therapy import build_instructions, tool_definitions

    return settings.session_config(build_instructions(therapy), tool_definitions())


def _backend_finish(provider: object, session: TherapySession) -> Callable[[int | None], Awaitable[None]] | None:
    from therapy_desktop.realtime.clinic_backend import ClinicBackendKeyProvider

    if not isinstance(provider, ClinicBackendKeyProvider):
        return None

    async def finish(mood_after: int | None) -> None:
        if provider.backend_session_id is None:
            return  # it never started at the backend
        import httpx

        async with httpx.AsyncClient() as http:
            await provider.end(http, session.summary.summary if session.summary else None, mood_after)

    return finish


async def _forget_from_window(history: HistoryHost, credentials: bool) -> str:
    """The window's Delete everything: the history is closed first, then every file of ours goes."""
    from therapy_desktop.forget import forget_everything

    await history.close()
    removed = await asyncio.to_thread(forget_everything, credentials=credentials, other_folders=app_folders())
    history.reopen()
    return FORGOTTEN.format(count=len(removed))


async def _quit(demo: DemoEngineHost, history: HistoryHost) -> None:
    await demo.stop()
    await history.close()


async def _preload(module: str) -> object:
    return await asyncio.to_thread(importlib.import_module, module)


async def _headless(args: argparse.Namespace) -> int:
    from therapy_desktop.headless import HeadlessOptions, run_headless
    from therapy_desktop.session.limits import SessionLimits

    demo = DemoEngineHost()
    settings = load_settings()
    mode = ConnectMode(args.mode) if args.mode else await default_mode(settings.mode)
    options = HeadlessOptions(
        therapy=TherapyType(args.therapy),
        mic_wav=args.mic_wav,
        speaker_wav=args.speaker_wav,
        transcript=args.transcript,
        timeout=args.timeout,
        mode=mode,
        mood_before=args.mood_before,
        reconnect=reconnect_policy(),
        config=session_config(settings, TherapyType(args.therapy)),
        input_device=settings.input_device or None,
        output_device=settings.output_device or None,
        audio_mode=headless_audio_mode(args, settings),
        limits=SessionLimits(max_minutes=settings.session_minutes),
    )
    context = provider_context(settings, demo, args.therapy, args.mood_before)
    try:
        return await run_headless(options, key_provider(mode, context))
    finally:
        await demo.stop()
