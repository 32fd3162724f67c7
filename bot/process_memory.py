"""Resident memory of a process and everything it started, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return children


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 when gone)."""
    total = 0
    for process in [pid, *_descendants(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _descendants(pid: int) -> list[int]:
    found, pending = [], _children(pid)
    while pending:
        child = pending.pop()
        found.append(child)
        pending += _children(child)
    return found


def release_free_heap() -> bool:
    """Collect garbage, then hand the C heap's free pages back to the kernel (glibc malloc_trim).

    Loading a model leaves hundreds of MB of freed but still resident heap behind (unpacked
    archives, msgpack buffers, graph building); Python's allocator and glibc keep it for later.
    Measured on our model: RSS 1141 MB -> 1026 MB (docs/benchmarks.md, "Memory").
    False where there is no glibc.
    """
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True
