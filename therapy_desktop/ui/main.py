"""Run the window on a qasync loop: the UI and every session share one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from importlib.resources import files

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.stop_signals import on_stop_signals
from therapy_desktop.therapy import TherapyType
from therapy_desktop.ui import event_loop
from therapy_desktop.ui.history_window import StoreGetter
from therapy_desktop.ui.main_window import MainWindow
from therapy_desktop.ui.session_controller import SessionController, SessionFactory
from therapy_desktop.ui.settings_dialog import SettingsTools

log = logging.getLogger(__name__)


def run_window(
    *,
    make_session: SessionFactory,
    choose_mode: Callable[[], Awaitable[ConnectMode]],
    therapy: TherapyType,
    on_mode_chosen: Callable[[ConnectMode], object],
    on_quit: Callable[[], Awaitable[None]],
    history_store: StoreGetter | None = None,
    forget_everything: Callable[[bool], Awaitable[str]] | None = None,
    settings_tools: SettingsTools | None = None,
) -> int:
    """Show the window until it is closed. `on_mode_chosen` hears the connection shown at start
    and every change (to warm up what it needs); `on_quit` runs after the session has ended;
    `history_store` opens the history for the History window (None: no history this run)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Therapy Desktop")
    app.setWindowIcon(QIcon(str(files("therapy_desktop.resources").joinpath("icon.svg"))))
    app.setQuitOnLastWindowClosed(False)  # closing ends the session first, then quits
    _route_uncaught_errors()
    return event_loop.run(_main(make_session, choose_mode, therapy, on_mode_chosen, on_quit, history_store,
                            forget_everything, settings_tools))


async def _main(
    make_session: SessionFactory,
    choose_mode: Callable[[], Awaitable[ConnectMode]],
    therapy: TherapyType,
    on_mode_chosen: Callable[[ConnectMode], object],
    on_quit: Callable[[], Awaitable[None]],
    history_store: StoreGetter | None = None,
    forget_everything: Callable[[bool], Awaitable[str]] | None = None,
    settings_tools: SettingsTools | None = None,
) -> int:
    controller = SessionController(make_session)
    mode = await choose_mode()
    window = MainWindow(controller, mode=mode, therapy=therapy, history_store=history_store,
                        forget_everything=forget_everything, settings_tools=settings_tools)
    done = asyncio.Event()
    shutdown_tasks: set[asyncio.Task[None]] = set()

    async def shut_down() -> None:
        try:
            await controller.shutdown()
        except Exception:
            log.exception("ending the session on close")
        try:
            await on_quit()
        except Exception:
            log.exception("shutting down")
        finally:
            done.set()

    def start_shutdown() -> None:
        if not shutdown_tasks:  # once, whether the window or a signal asked first
            shutdown_tasks.add(asyncio.get_event_loop().create_task(shut_down()))

    window.on_close_requested = start_shutdown
    window.show()
    window.mode_chosen.connect(lambda chosen: on_mode_chosen(ConnectMode(chosen)))
    on_mode_chosen(mode)
    # SIGTERM or Ctrl-C: end and save without the question a click on close asks (nobody is there).
    with on_stop_signals(start_shutdown):
        await done.wait()
    window.on_close_requested = None  # the session has ended: this close only closes
    window.close()
    return 0


def _route_uncaught_errors() -> None:
    """Errors in Qt slots go to sys.excepthook; log them (a windowed build has no stderr)."""

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        log.error("uncaught error", exc_info=(kind, value, tb))  # type: ignore[arg-type]

    sys.excepthook = hook
