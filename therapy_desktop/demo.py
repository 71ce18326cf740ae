"""Demo mode's engine, hosted inside the app: started once, on first need, on the app's loop."""

from __future__ import annotations

import asyncio
import importlib
import logging
from typing import TYPE_CHECKING

from therapy_desktop.realtime.keys import LocalEndpoint

if TYPE_CHECKING:
    import numpy as np

    from therapy_desktop.engine import LocalEngine

log = logging.getLogger(__name__)


class DemoEngineHost:
    def __init__(self) -> None:
        self._engine: LocalEngine | None = None
        self._lock = asyncio.Lock()
        self._warm_up: asyncio.Task[LocalEndpoint] | None = None

    async def endpoint(self) -> LocalEndpoint:
        async with self._lock:
            if self._engine is None:
                # Imported on a worker thread: half a second the window should not freeze for.
                module = await asyncio.to_thread(importlib.import_module, "therapy_desktop.engine")
                engine = module.LocalEngine()
                await engine.start()  # the HTTP side is up at once; speech models keep loading behind it
                self._engine = engine
        return LocalEndpoint(self._engine.base_url, self._engine.api_key)

    async def speak(self, text: str) -> np.ndarray:
        """`text` in the Demo companion's own voice (mono int16, 48 kHz), synthesized on the
        engine's speech executor, never on the loop; starts the engine if it is not running."""
        await self.endpoint()
        assert self._engine is not None
        return await self._engine.models.synthesize(text)

    def warm_up(self) -> None:
        """Start the engine and its model loading now, so the first Start is quick. A failure
        here is logged; the first Start in Demo mode tries again and shows it."""
        if self._warm_up is not None and not (self._warm_up.done() and self._warm_up.exception()):
            return
        self._warm_up = asyncio.get_running_loop().create_task(self.endpoint())
        self._warm_up.add_done_callback(_log_failure)

    async def stop(self) -> None:
        if self._warm_up is not None and not self._warm_up.done():
            self._warm_up.cancel()
        if self._engine is not None:
            await self._engine.stop()
            self._engine = None


def _log_failure(task: asyncio.Task[LocalEndpoint]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("the demo engine did not start: %s", task.exception())
