"""The progress bar: on stderr when it is a terminal (a real pseudo-terminal
here), never piped, in CI, with --quiet or for short runs."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys

import pytest
from conftest import SEEDS

pty = pytest.importorskip("pty")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"
FILES = 200  # linter.cli.progress.MIN_FILES: the shortest run with a bar
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from linter.cli.progress import MIN_FILES

    assert FILES >= MIN_FILES
    folder = tmp_path_factory.mktemp("many")
    for i in range(FILES):
        shutil.copyfile(BAD, folder / f"PMC1__f{i}.md")
    return folder


def lint(folder, *args, env_extra=None, stderr_tty=True, stdout_tty=False, tmp_path):
    """Run the command with stderr (and stdout) on a pseudo-terminal or not:
    (exit code, stdout bytes, terminal bytes, stderr bytes when piped)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR")}
    env.update(env_extra or {})
    master, slave = pty.openpty()
    out_path = tmp_path / "stdout.txt"
    err_path = tmp_path / "stderr.txt"
    cmd = [sys.executable, "-m", "linter", "check", "--no-cache", "-j", "1", str(folder), *args]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            cmd,
            stdout=slave if stdout_tty else out,
            stderr=slave if stderr_tty else err,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out_path.read_bytes(), b"".join(chunks), err_path.read_bytes()


def test_a_terminal_gets_a_bar_and_the_pipe_stays_clean(many, tmp_path):
    code, out, term, _ = lint(many, "--select", "NA101", tmp_path=tmp_path)
    assert code == 1
    plain = ANSI.sub(b"", term)
    assert f"{FILES}/{FILES} files".encode() in plain  # files done
    assert b"files/s" in plain  # rate
    # elapsed and remaining time, each labelled after its value
    assert re.search(rb"\d+:\d\d:\d\d elapsed, (\d+:\d\d:\d\d|-:--:--) left", plain), plain[-400:]
    assert b"0:00:00 left" in plain  # the time left reaches zero
    assert term.rstrip().endswith(b"\x1b[2K")  # transient: erased at the end
    lines = out.decode().splitlines()
    assert len([line for line in lines if ": NA101" in line]) == 5 * FILES
    assert b"\x1b" not in out and b"linting" not in out


@pytest.mark.parametrize(
    "args, env",
    [((), {"CI": "true"}), (("--quiet",), {}), (("--output-format", "json"), {"CI": "1"})],
)
def test_no_bar_in_ci_or_quiet(many, tmp_path, args, env):
    code, out, term, _ = lint(many, "--select", "NA101", *args, env_extra=env, tmp_path=tmp_path)
    assert code == 1 and out
    assert b"linting" not in term and b"files/s" not in term


def test_no_bar_when_stderr_is_piped_or_the_run_is_short(many, tmp_path):
    code, out, term, err = lint(many, "--select", "NA101", stderr_tty=False, tmp_path=tmp_path)
    assert code == 1 and b"linting" not in err and b"\x1b" not in err
    one = tmp_path / "one"
    one.mkdir()
    shutil.copyfile(BAD, one / BAD.name)
    code, out, term, _ = lint(one, "--select", "NA101", tmp_path=tmp_path)
    assert code == 1 and b"linting" not in term


def test_findings_on_the_same_terminal_print_above_the_bar(many, tmp_path):
    code, _, term, _ = lint(many, "--select", "NA101", stdout_tty=True, tmp_path=tmp_path)
    assert code == 1
    assert b"linting" in term
    first = term.index(b"PMC1__f0.md")
    # the bar line is erased before a finding is printed in its place
    assert term.rfind(b"\x1b[2K", 0, first) > term.rfind(b"linting", 0, first) - 200
    assert term.count(b"(5 findings)") == FILES
    assert f"Found {5 * FILES} findings in {FILES} files".encode() in ANSI.sub(b"", term)


def test_the_bar_draws_without_a_thread_of_its_own():
    """A run forks its worker processes while the bar is up: a thread drawing
    it could hold a lock (stderr's) at that moment, which the children would
    inherit held, with no thread to release it."""
    import threading

    from linter.cli.progress import Bar

    before = threading.active_count()
    bar = Bar(FILES)
    try:
        assert threading.active_count() == before
        bar.advance(FILES // 2)
        assert threading.active_count() == before
    finally:
        bar.stop()
    assert not bar.live
