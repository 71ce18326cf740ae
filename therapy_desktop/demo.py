"""Demo mode's engine, hosted inside the app: started once, on first need, on the app's loop."""

from __future__ import annotations

import asyncio

from therapy_desktop.connect_modes import ConnectMode
from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.keys import DemoKeyProvider, EphemeralKeyProvider, LocalEndpoint, OpenAIKeyProvider


class DemoEngineHost:
    def __init__(self) -> None:
        self._engine: LocalEngine | None = None
        self._lock = asyncio.Lock()

    async def endpoint(self) -> LocalEndpoint:
        async with self._lock:
            if self._engine is None:
                engine = LocalEngine()
                await engine.start()  # the HTTP side is up at once; speech models keep loading behind it
                self._engine = engine
        return LocalEndpoint(self._engine.base_url, self._engine.api_key)

    def warm_up(self) -> asyncio.Task[LocalEndpoint]:
        """Start the engine and its model loading now, so the first Start is quick."""
        return asyncio.get_running_loop().create_task(self.endpoint())

    async def stop(self) -> None:
        if self._engine is not None:
            await self._engine.stop()
            self._engine = None


def key_provider(mode: ConnectMode, demo: DemoEngineHost) -> EphemeralKeyProvider:
    if mode is ConnectMode.OPENAI:
        return OpenAIKeyProvider()
    return DemoKeyProvider(demo.endpoint)
