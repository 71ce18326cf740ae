"""PySide6 6.12.0 dropped a reference to True/False on every Signal.emit(); the app aborted after
a few hundred mic-level updates ("bool_dealloc"). Guard the pin in pyproject.toml."""

import sys
import threading

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    level = Signal(float)
    item = Signal(object)


def test_emitting_signals_keeps_bool_refcounts_steady(qapp):
    emitter = _Emitter()
    emitter.level.connect(lambda v: None)
    emitter.item.connect(lambda v: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.level.emit(0.5)
        emitter.item.emit(None)
    worker = threading.Thread(target=lambda: [emitter.item.emit(None) for _ in range(200)])
    worker.start()
    worker.join()
    qapp.processEvents()
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 5, (before, after)
