"""Worker processes die with their parent: a killed main process of a
parallel run leaves no worker holding the run's output open."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:  # field 4: the parent's pid
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_main_process_leaves_no_worker(tmp_path, how):
    records = sorted((CORPUS / "_figures").glob("*.md"))
    figs = tmp_path / "_figures"
    figs.mkdir()
    for i in range(3000):
        src = records[i % len(records)]
        (figs / f"PMC{9_000_000 + i}__copy{i}.md").write_bytes(src.read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--jobs", "2", "--quiet", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers |= _children(proc.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the run did not start its workers"
    proc.send_signal(how)
    proc.wait(timeout=30)
    # the run's stdout reaches its end within seconds: no worker holds it open
    fd = proc.stdout.fileno()
    end = time.monotonic() + 10
    closed = False
    while not closed and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        closed = bool(ready) and os.read(fd, 1 << 16) == b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == []
    assert closed, "the run's stdout was still open"


def test_collection_pass_memory_is_bounded_however_many_records_share_a_key(tmp_path):
    """20,000 records with one figid_alias: the collection pass re-reads the
    group's records one at a time and keeps a few; the run stays under 150 MB."""
    figs = tmp_path / "_figures"
    figs.mkdir()
    caption = "A pathway figure caption. " * 40  # records of a realistic size
    for i in range(20_000):
        figid = f"PMC{1_000_000 + i}__f{i}"
        (figs / f"{figid}.md").write_text(
            f"---\nfigid: {figid}\npmcid: PMC{1_000_000 + i}\nfigid_alias: PMC1__F1\n"
            f"caption: {caption}\n---\n",
            encoding="utf-8",
        )
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'linter', 'check', '--no-cache',"
        " '--select', 'XR103', '--output-format', 'concise', '.'],"
        " capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, done.stdout.count('XR103'), peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    rc, found, peak_kb = out.stdout.split()
    assert rc == "1" and int(found) == 20_000
    assert int(peak_kb) < 150 * 1024, f"peak {int(peak_kb) / 1024:.0f} MB"
