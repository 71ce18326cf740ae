"""The engine's speech models, loaded once in the background and shared by all calls, and the
executors their blocking work runs on (never aiortc's default executor, which encodes Opus)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

from therapy_desktop.engine.speech import SpeechDetector, Synthesizer, Transcriber

log = logging.getLogger(__name__)
T = TypeVar("T")


class EngineModels:
    def __init__(self) -> None:
        self._speech_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="engine-speech")
        self._vad_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine-vad")
        # Thread futures, not asyncio ones: the loads are shared by whichever loop asks later.
        self._synthesizer: Future[Synthesizer] | None = None
        self._transcriber: Future[Transcriber] | None = None

    def preload(self) -> None:
        """Start loading both models now; later calls await the same load."""
        if self._synthesizer is None:
            self._synthesizer = self._speech_pool.submit(Synthesizer)
        if self._transcriber is None:
            self._transcriber = self._speech_pool.submit(Transcriber)

    async def synthesize(self, text: str) -> np.ndarray:
        self.preload()
        assert self._synthesizer is not None
        synthesizer = await asyncio.wrap_future(self._synthesizer)
        return await self._run(self._speech_pool, synthesizer.synthesize, text)

    async def transcribe(self, pcm16k: np.ndarray) -> str:
        self.preload()
        assert self._transcriber is not None
        transcriber = await asyncio.wrap_future(self._transcriber)
        return await self._run(self._speech_pool, transcriber.transcribe, pcm16k)

    async def speech_probability(self, detector: SpeechDetector, window: np.ndarray) -> float:
        return await self._run(self._vad_pool, detector.probability, window)

    async def ready(self) -> None:
        self.preload()
        assert self._synthesizer is not None and self._transcriber is not None
        await asyncio.gather(asyncio.wrap_future(self._synthesizer), asyncio.wrap_future(self._transcriber))

    async def voice_cache_warmed(self) -> None:
        """Until the synthesizer's one-off background warm-up of reply openers has ended (for
        tests and benchmarks that measure a steady state)."""
        self.preload()
        assert self._synthesizer is not None
        synthesizer = await asyncio.wrap_future(self._synthesizer)
        while not synthesizer.warmed.is_set():
            await asyncio.sleep(0.2)

    @staticmethod
    async def _run(pool: ThreadPoolExecutor, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    def close(self) -> None:
        self._speech_pool.shutdown(wait=False, cancel_futures=True)
        self._vad_pool.shutdown(wait=False, cancel_futures=True)
