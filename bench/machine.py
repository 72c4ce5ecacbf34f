"""The machine a benchmark ran on, in one line for its printed figures."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

import apscheduler
import discord


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; discord.py {discord.__version__}; "
        f"APScheduler {apscheduler.__version__}; {platform.system()}"
    )
