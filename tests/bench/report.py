"""docs/performance.md: each part's figures between its markers, the rest left as written.

`<!-- bench:NAME -->` … `<!-- /bench:NAME -->` enclose what a run writes (the machine, and
one block per part); a part run alone rewrites its own block and the machine's only, so
the analysis around them stays as its author wrote it.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from tests.bench.platform import rabbitmq_version

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "RabbitMQ": rabbitmq_version(),
        "nameko": version("nameko"),
        "store": f"nx-27017 {version('nx-27017')}, pymongo {version('pymongo')}",
        "code": code_version(),
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def code_version() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=DOC.parents[1],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"git {described}" if described else "unknown"


def machine_block(info: dict[str, str]) -> str:
    rows = ["| | |", "|---|---|", *(f"| {key} | {value} |" for key, value in info.items())]
    return "\n".join(rows)


def part_block(text: str, info: dict[str, str], note: str) -> str:
    return f"Measured {info['date']} ({note}):\n\n```text\n{text}\n```"


def write(blocks: dict[str, str], path: Path = DOC) -> None:
    """Replace each named block's content (or append it) and save."""
    document = path.read_text() if path.exists() else "# Performance\n"
    for name, content in blocks.items():
        start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
        fresh = f"{start}\n{content}\n{end}"
        found = re.search(re.escape(start) + r".*?" + re.escape(end), document, re.S)
        if found:
            document = document[: found.start()] + fresh + document[found.end() :]
        else:
            document = document.rstrip("\n") + f"\n\n{fresh}\n"
    path.write_text(document)
