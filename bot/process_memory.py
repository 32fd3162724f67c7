"""Resident memory and CPU time of a process and everything it started, read from /proc (Linux)."""

from __future__ import annotations

import os
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
    for process in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def descendants(pid: int) -> list[int]:
    """Every living process below `pid` (children, their children ...)."""
    found, pending = [], _children(pid)
    while pending:
        child = pending.pop()
        found.append(child)
        pending += _children(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its living descendants, in seconds (0 when gone).

    Read from /proc/<pid>/stat (fields 14 and 15, in clock ticks). A descendant that has exited
    is no longer counted: measure long-lived servers (their workers live as long as they do).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in [pid, *descendants(pid)]:
        try:
            stat = Path(f"/proc/{process}/stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of the whole line)
    return total / ticks


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
