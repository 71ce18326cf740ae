"""CPU and memory of a client: one process (the desktop app) or a tree (Chromium's many)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import psutil


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(root: psutil.Process) -> float:
    total = 0.0
    for process in _tree(root):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def rss_bytes(root: psutil.Process) -> int:
    total = 0
    for process in _tree(root):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total


def peak_rss_bytes(root: psutil.Process) -> int:
    """The kernel's high-water mark (VmHWM) summed over the tree: each process's own peak."""
    total = 0
    for process in _tree(root):
        with contextlib.suppress(OSError, psutil.NoSuchProcess):
            for line in open(f"/proc/{process.pid}/status"):
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) * 1024
    return total


@dataclass
class CostMeter:
    """Samples a process tree while a conversation runs: CPU used and the peak of total RSS."""

    root: psutil.Process
    interval: float = 0.25
    cpu_start: float = 0.0
    cpu_end: float = 0.0
    wall_start: float = 0.0
    wall_end: float = 0.0
    peak_rss: int = 0
    samples: list[int] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.cpu_start, self.wall_start = cpu_seconds(self.root), loop.time()
        self._task = loop.create_task(self._sample())

    async def _sample(self) -> None:
        while self.root.is_running():
            rss = rss_bytes(self.root)
            self.samples.append(rss)
            self.peak_rss = max(self.peak_rss, rss)
            self.cpu_end, self.wall_end = cpu_seconds(self.root), asyncio.get_running_loop().time()
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self.root.is_running():  # else: the last sample before it exited stands
            self.cpu_end, self.wall_end = cpu_seconds(self.root), asyncio.get_running_loop().time()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def cpu_seconds_per_minute(self) -> float:
        minutes = (self.wall_end - self.wall_start) / 60
        return (self.cpu_end - self.cpu_start) / minutes if minutes > 0 else 0.0
