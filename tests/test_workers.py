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


def _scaled(items, k):
    return [x * k for x in items]


@pytest.mark.parametrize("parts", [1, 2, 3, 7, 50])
def test_work_in_parts_answers_as_the_work_whole(parts):
    """``in_parts`` cuts the items among forked processes and joins their
    answers in order: the same list as the work over all items, however
    many parts (more parts than items, no items), and no process left."""
    from linter.engine.workers import in_parts

    items = list(range(37))
    assert in_parts(_scaled, items, parts, 3) == _scaled(items, 3)
    assert in_parts(_scaled, [], parts, 3) == []
    assert _children(os.getpid()) == set()


def test_a_part_whose_process_fails_is_worked_out_here():
    """A forked part that raises, dies or answers what ``marshal`` cannot
    write is worked out by the run's own process: the answer is whole."""
    from linter.engine.workers import in_parts

    me = os.getpid()

    def failing(items, k):
        if os.getpid() != me:
            if items[0] >= 30:
                os.kill(os.getpid(), signal.SIGKILL)
            if items[0] >= 20:
                return [object()] * len(items)  # marshal cannot write it
            raise RuntimeError("a part fails")
        return _scaled(items, k)

    items = list(range(40))
    assert in_parts(failing, items, 4, 2) == _scaled(items, 2)
    assert _children(os.getpid()) == set()


def test_a_runs_keys_worked_out_in_parts_are_its_keys(tmp_path, monkeypatch):
    """A run's lookups work its files' cache keys out in forked processes
    when there are many (here: the threshold lowered): the keys are those
    of the run's own process, racy files (a hash of their bytes) included."""
    from linter.engine import pool
    from linter.engine.keylist import KeyList
    from linter.pipeline.cache import Cache
    from linter.pipeline.config import build_settings, load_config

    figures = tmp_path / "_figures"
    (tmp_path / "_data").mkdir()
    figures.mkdir()
    past = 1_000_000_000 * 1_000_000_000
    files = []
    for i in range(40):  # (one folder: after its first file, no path is split again)
        p = figures / f"PMC{i}__x.md"
        p.write_text(f"---\nfigid: PMC{i}__x\n---\n", encoding="utf-8")
        os.utime(p, ns=(past, past))
        files.append((str(p), str(p)))
    (tmp_path / "_data" / "PMC3__x-genes.tsv").write_text("word\n", encoding="utf-8")
    settings = build_settings(load_config(start=tmp_path))
    cache = Cache(tmp_path, settings, key_mode="mtime")
    monkeypatch.setattr(pool, "KEYS_PER_PROCESS", 4)
    n = len(files)
    keys = KeyList(n)
    lookups = pool._Lookups(files, cache, keys, bytearray(n), jobs=3)
    assert lookups.upto(n) == n
    assert [keys[i] for i in range(n)] == cache.keys([p for p, _ in files])
    # (their ctime is now: racy, keyed with a hash of their bytes, in the parts too)
    assert all(type(keys[i]) is tuple for i in range(n))
    assert _children(os.getpid()) == set()
