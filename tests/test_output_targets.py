"""Outputs write into what is there: `--output-file`, `--write-baseline` and
`report -o` open a device, a FIFO or a link to one and write into it (never
replace it by a regular file); `-` is standard output; only regular files
get the temporary file and the rename."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SEEDS

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, timeout=120
    )


def drain(fifo: Path) -> dict:
    """Read a FIFO in a thread (a writer blocks until someone reads)."""
    got: dict = {}

    def reader():
        with open(fifo, "rb") as fh:
            got["data"] = fh.read()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    got["thread"] = thread
    return got


@pytest.fixture
def work(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.mark.parametrize("via_link", [False, True])
def test_output_file_into_a_fifo(work, via_link):
    fifo = work / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_link:
        (work / "link").symlink_to(fifo)
        target = work / "link"
    got = drain(fifo)
    done = run(
        work,
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "--output-file",
        str(target),
        "seeds",
    )
    got["thread"].join(30)
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO
    assert via_link is False or os.path.islink(work / "link")
    assert len(json.loads(got["data"])) > 0


def test_write_baseline_into_a_fifo(work):
    fifo = work / "pipe"
    os.mkfifo(fifo)
    got = drain(fifo)
    done = run(work, "check", "--no-cache", "--write-baseline", str(fifo), "seeds")
    got["thread"].join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got["data"])


def test_dash_is_standard_output(work):
    done = run(
        work, "check", "--no-cache", "--output-format", "sarif", "--output-file", "-", "seeds"
    )
    assert b'"version": "2.1.0"' in done.stdout
    assert not (work / "-").exists()


def test_a_character_device_is_written_into_not_replaced(work):
    node = work / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    for args in (
        ("check", "--no-cache", "--output-format", "json", "--output-file", str(node), "seeds"),
        ("check", "--no-cache", "--write-baseline", str(node), "seeds"),
        ("report", "--no-cache", "seeds", "-o", str(node)),
    ):
        done = run(work, *args)
        assert done.returncode in (0, 1), done.stderr
        assert stat.S_ISCHR(os.stat(node).st_mode), args  # still the device


def test_a_regular_file_is_still_replaced_atomically(work):
    target = work / "out.json"
    target.write_text("old", encoding="utf-8")
    run(
        work,
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "--output-file",
        str(target),
        "seeds",
    )
    assert json.loads(target.read_text(encoding="utf-8"))
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
