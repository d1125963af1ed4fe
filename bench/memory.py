"""Resident memory: the current RSS and the peak over a stretch of code.

On Linux the kernel's high-water mark (VmHWM) can be reset by writing 5 to
/proc/self/clear_refs, which gives an exact peak for one read; elsewhere a
sampling thread approximates it.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psutil

MB = 1024 * 1024


def rss() -> int:
    return psutil.Process().memory_info().rss


def _hwm() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_hwm() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Sampler:
    """Fallback peak: the largest RSS seen every millisecond."""

    def __init__(self) -> None:
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        process = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, process.memory_info().rss)
            time.sleep(0.001)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def measure_read(read: Callable[[], Awaitable[int]], mode: str) -> dict[str, Any]:
    """Runs ``read`` (which returns a row count) and reports rows/s and the peak RSS above the start."""
    gc.collect()
    baseline = rss()
    exact = _reset_hwm() and _hwm() is not None
    sampler = None if exact else Sampler().__enter__()
    try:
        began = time.perf_counter()
        rows = await read()
        seconds = time.perf_counter() - began
    finally:
        if sampler is not None:
            sampler.__exit__(None, None, None)
    peak = _hwm() if sampler is None else sampler.peak
    return {
        "mode": mode,
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else 0.0,
        "baseline_mb": baseline / MB,
        "peak_above_baseline_mb": max(0, (peak or baseline) - baseline) / MB,
        "peak_method": "VmHWM" if exact else "sampled",
    }
