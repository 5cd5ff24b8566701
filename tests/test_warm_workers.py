"""A warm run's worker processes (``linter.engine.pool``, issue 17): runs of
files the results pack answers are read and rendered by workers, and the run
prints, counts and exits exactly as when it reads them itself; a batch a
worker cannot read, or a worker that dies, is read by the run itself."""

from __future__ import annotations

import gc
import os
import pickle
import re
import shutil
import sys
from dataclasses import replace

import pytest
from conftest import CORPUS

from linter.base.model import Finding, Fix, Span
from linter.cli.main import main
from linter.engine import FileBrief, FileResult, fails, pool, workers
from linter.pipeline import cache_codec, cache_pack
from linter.reporters import Summary, concise, github

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the workers are forked (Linux)"
)


@pytest.fixture
def corpus(cli_env, monkeypatch):
    """The 103 corpus records and their tables; a pack for runs of any size,
    workers for any number of cached files, 8 files a batch."""
    shutil.copytree(CORPUS / "_figures", cli_env / "records" / "_figures")
    shutil.copytree(CORPUS / "_data", cli_env / "records" / "_data")
    monkeypatch.setattr(cache_pack, "MIN_FILES", 1)
    monkeypatch.setattr(pool, "RENDER_MIN", 1)
    monkeypatch.setattr(pool, "RENDER_BATCH", 8)
    return cli_env


class Answers:
    """Counts the batches the workers answered (None: the run read it)."""

    def __init__(self, monkeypatch):
        self.rendered = self.fell_back = 0
        result = pool._Renderers.result

        def counted(renderers, number):
            got = result(renderers, number)
            if got is None:
                self.fell_back += 1
            else:
                self.rendered += 1
            return got

        monkeypatch.setattr(pool._Renderers, "result", counted)


def run(capsys, *args):
    code = main(["check", "records", "--jobs", "2", *args])
    out, err = capsys.readouterr()
    return code, out, err


CASES = [
    ("--output-format", "concise"),
    ("--output-format", "concise", "--statistics"),
    ("--output-format", "concise", "--unsafe-fixes"),  # the fixable count changes
    ("--statistics",),  # the summary alone: the workers count, render nothing
]


@pytest.mark.parametrize("args", CASES)
def test_workers_print_count_and_exit_as_the_run_would(corpus, capsys, monkeypatch, args):
    cold = run(capsys, *args, "--no-cache")
    assert cold[1] and cold[0] == 1 and "[*]" in cold[1]  # findings, some failing or fixable
    assert run(capsys, *args)[:2] == cold[:2]  # writes the cache and the pack
    answers = Answers(monkeypatch)
    assert run(capsys, *args) == cold
    assert answers.rendered == 13 and answers.fell_back == 0  # 103 files, 8 a batch


@pytest.mark.parametrize("limit", [10, 3, 40])
def test_github_annotations_cut_from_the_workers_log_lines(corpus, capsys, monkeypatch, limit):
    """The github format annotates the run's first findings of each severity
    and logs the rest: which of a batch's findings those are depends on the
    batches before, and the output is the run's own, whatever the limit."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setitem(github.GithubReporter.__init__.__kwdefaults__, "limit", limit)
    args = ("--output-format", "github")
    cold = run(capsys, *args, "--no-cache")
    totals = re.findall(r"\((\d+) error, (\d+) warning, (\d+) info\)", cold[1])[-1]
    for level, total in zip(("error", "warning", "notice"), totals):  # up to the limit
        assert cold[1].count(f"::{level} file=") == min(int(total), limit - (level == "notice"))
    assert "not annotated" in cold[1] and ": GN1" in cold[1]  # and the rest logged
    assert run(capsys, *args)[:2] == cold[:2]
    answers = Answers(monkeypatch)
    assert run(capsys, *args) == cold
    assert answers.rendered == 13 and answers.fell_back == 0


def test_one_worker_process_each_batch_in_order(corpus, capsys, monkeypatch):
    """With one file changed, the runs of cached files around it are the
    workers'; the changed file is linted here, in its place."""
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    record = sorted((corpus / "records" / "_figures").glob("*.md"))[20]
    record.write_text(record.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.rendered == 14  # 20 files (3 batches), the edited one, 82 (11)
    answers.rendered = 0
    assert run(capsys, "--output-format", "concise") == cold  # the new pack holds it
    assert answers.rendered == 13


@pytest.mark.parametrize("edited", [(40, 41, 90), (3, 40)])
def test_changed_files_linted_by_a_worker_as_the_lookups_find_them(
    corpus, capsys, monkeypatch, edited
):
    """A warm run sends each file it must lint to one worker process as soon
    as the lookups find it, while it reads the cached files before it (the
    run itself lints none: loading the rules' tables would stop it while
    the render workers wait); the output and the next run's are a cold
    run's, the edited files written to the cache. (A change among the first
    files: every file is looked up first, then the same.)"""
    monkeypatch.setattr(pool, "CACHE_BATCH", 10)
    run(capsys, "--output-format", "concise")
    for k in edited:
        _edit(corpus, k)
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    here, sent, done = [], [], [0]
    lint_here, send, upto = pool._lint_here, workers.Misses.send, pool._Lookups.upto

    def sending(misses, k, path, name):
        sent.append((k, done[0]))
        return send(misses, k, path, name)

    def counted(lookups, end):
        done[0] = got = upto(lookups, end)
        return got

    monkeypatch.setattr(pool, "_lint_here", lambda *a, **k: here.append(a) or lint_here(*a, **k))
    monkeypatch.setattr(workers.Misses, "send", sending)
    monkeypatch.setattr(pool._Lookups, "upto", counted)
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert here == [] and [k for k, _ in sent] == list(edited)
    if edited[0] > 10:  # sent as soon as the lookups reach it
        assert all(k < looked <= k + 10 for k, looked in sent)
    assert answers.fell_back == 0
    answers.rendered = 0
    assert run(capsys, "--output-format", "concise") == cold  # written: all cached
    assert answers.rendered >= 13 and here == []


def test_no_miss_worker_the_run_lints_them(corpus, capsys, monkeypatch):
    """The worker for the files to lint cannot be started (a process
    limit): the run lints them itself, with the same output."""
    monkeypatch.setattr(pool, "CACHE_BATCH", 10)
    run(capsys, "--output-format", "concise")
    for k in (40, 90):
        _edit(corpus, k)
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    here = []
    lint_here = pool._lint_here

    tried = []

    def no_process(*args):
        tried.append(1)
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers, "start_workers", no_process)
    monkeypatch.setattr(pool, "_lint_here", lambda *a, **k: here.append(a) or lint_here(*a, **k))
    assert run(capsys, "--output-format", "concise") == cold
    assert len(here) == 2 and tried == [1]  # one try, not one for each file


def test_a_miss_worker_that_dies_is_an_internal_error(corpus, capsys, monkeypatch):
    """The worker that lints a warm run's changed files dies: the run
    stops with exit code 2 and names the file it was linting."""
    run(capsys, "--output-format", "concise")
    _edit(corpus, 30)

    def dying(conn, *args, **kwargs):
        os._exit(3)

    monkeypatch.setattr(pool, "_serve", dying)
    code, _, err = run(capsys, "--output-format", "concise")
    assert code == 2 and "a worker process died while linting it" in err
    assert sorted((corpus / "records" / "_figures").glob("*.md"))[30].name in err


def test_misses_sent_within_their_limits(monkeypatch):
    """At most PER_WORKER files and MISS_NAMES characters of names go to the
    miss worker (so what it is sent fits a socket's buffer while it waits to
    answer); the others are left to the run."""
    started = []

    def start(ctx, target, args, jobs, procs, conns):  # a worker that takes anything
        started.append(jobs)
        procs.append(None)
        conns[Sink()] = []

    monkeypatch.setattr(workers, "start_workers", start)
    misses = workers.Misses(None, None, pool.PER_WORKER)
    assert all(misses.send(k, f"r/{k}.md", f"{k}.md") for k in range(pool.PER_WORKER))
    assert not misses.send(pool.PER_WORKER, "r/x.md", "x.md") and started == [1]  # one worker
    misses = workers.Misses(None, None, pool.PER_WORKER)
    long = "r/" + "x" * (workers.MISS_NAMES // 3)
    assert misses.send(0, long, "a") and misses.send(1, long, "b")
    assert not misses.send(2, long, "c") and 2 not in misses and 1 in misses


class Sink:
    def send(self, msg):
        pass


def _edit(corpus, k: int) -> None:
    record = sorted((corpus / "records" / "_figures").glob("*.md"))[k]
    record.write_text(record.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")


@pytest.mark.parametrize("edited", [(), (50,)])
def test_files_looked_up_while_the_workers_read(corpus, capsys, monkeypatch, edited):
    """A warm run by its first files starts the workers at once and looks
    the next files up while they read (10 at a time here); a file changed
    after those first ones is linted in the run, in its place."""
    monkeypatch.setattr(pool, "CACHE_BATCH", 10)
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    for k in edited:
        _edit(corpus, k)
    starts = []
    upto = pool._Lookups.upto

    def counted(lookups, end):
        starts.append(lookups.done)
        return upto(lookups, end)

    monkeypatch.setattr(pool._Lookups, "upto", counted)
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.fell_back == 0 and answers.rendered >= 13  # runs cut where lookups stop
    assert len(set(starts)) > 5  # looked up a batch at a time, not all first
    if edited:  # linted here and written: the next run reads it too
        answers.rendered = 0
        assert run(capsys, "--output-format", "concise") == cold
        assert answers.rendered >= 13


def test_many_files_to_lint_after_the_first_go_to_lint_workers(corpus, capsys, monkeypatch):
    """A warm run by its first files that finds many changed files later:
    once every file is looked up, the rest are linted by worker processes,
    as a run that knew them from the start would."""
    monkeypatch.setattr(pool, "CACHE_BATCH", 60)
    monkeypatch.setattr(pool, "PER_WORKER", 4)
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    for k in range(65, 95):
        _edit(corpus, k)
    calls = []
    lint_parallel = pool._lint_parallel

    def counted(todo, settings, jobs):
        calls.append((len(todo), jobs))
        return lint_parallel(todo, settings, jobs)

    monkeypatch.setattr(pool, "_lint_parallel", counted)
    assert run(capsys, "--output-format", "concise") == cold
    # the first PER_WORKER went to the one worker that lints files as the
    # lookups find them (workers.Misses)
    assert calls == [(30 - 4, 2)]
    calls.clear()
    assert run(capsys, "--output-format", "concise") == cold  # all cached again
    assert calls == []


def test_a_batch_a_worker_cannot_read_is_read_by_the_run(corpus, capsys, monkeypatch):
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    results = cache_pack.Pack.results
    calls = []

    def flaky(pack, entries, names, findings=True, brief=None):
        calls.append(os.getpid())
        out = results(pack, entries, names, findings, brief)
        return [None, *out[1:]] if len(calls) == 2 else out  # each worker's second batch

    monkeypatch.setattr(cache_pack.Pack, "results", flaky)
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.fell_back == 2 and answers.rendered == 11


def test_workers_that_die_leave_their_batches_to_the_run(corpus, capsys, monkeypatch):
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")

    def dying(conn, *args):
        os._exit(3)  # a worker killed before its first answer (out of memory, say)

    monkeypatch.setattr(pool, "_render_serve", dying)
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.fell_back >= 1 and answers.rendered == 0


def test_one_job_or_other_formats_read_in_the_run(corpus, capsys, monkeypatch):
    run(capsys, "--output-format", "concise")
    answers = Answers(monkeypatch)
    main(["check", "records", "--jobs", "1", "--output-format", "concise"])
    main(["check", "records", "--jobs", "2", "--output-format", "json"])
    capsys.readouterr()
    assert answers.rendered == answers.fell_back == 0


def _finding(code, severity, filename, fix=None):
    return Finding(code, code.lower(), severity, "m", filename, "/x", Span(1, 1, 1, 2, 0, 1), fix)


def _results():
    safe, unsafe = Fix("safe", "f", ()), Fix("unsafe", "f", ())
    return [
        FileResult("a/PMC1__x.md", [_finding("GN101", "error", "a/PMC1__x.md", safe)], None, "B"),
        FileResult(
            "a/PMC2__y.md",
            [
                _finding("GN101", "warning", "a/PMC2__y.md", unsafe),
                _finding("NA101", "info", "a/PMC2__y-genes.tsv"),
                _finding("GN101", "warning", "a/PMC2__y.md"),
                _finding("NA101", "info", "a/PMC2__y-genes.tsv", safe),
            ],
            {"XR101": (("k", "v"),)},  # as the cache gives an index back
            "C",
        ),
        FileResult(
            "a/PMC3__z.md",
            [
                _finding("MD107", "warning", "a/PMC3__z.md", safe),
                # a message concise prints escaped: the pack keeps it as it is
                replace(_finding("MD107", "warning", "a/PMC3__z.md"), message="a\tb\x1b[2J"),
            ],
        ),
        FileResult("a/PMC4__w.md", []),
    ]


def _same_summary(a: Summary, b: Summary) -> None:
    fields = [f for f in vars(a) if not f.startswith("_")]
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert list(a.names) == list(b.names) and a.records == b.records


@pytest.mark.parametrize("unsafe", [False, True])
def test_a_cached_brief_counts_prints_and_fails_as_the_findings_do(unsafe):
    """The head of a pack entry (counts and concise text) stands for its
    findings: the same summary, text and failing verdict; an entry written
    without the text is read whole when the text is wanted."""
    by_findings, by_brief = Summary(), Summary()

    def entry(data, name, findings, brief=None, heads_only=False):
        head, body = cache_codec.split_entry(data)
        assert data == len(head).to_bytes(4, "little") + head + body  # the head's length first
        body = None if heads_only else memoryview(body)
        return cache_codec._entry(memoryview(head), body, name, findings, brief)

    for res in _results():
        raw = cache_codec.encode_packed(res, concise.brief)
        got = entry(raw, res.filename, True, "text", heads_only=True)  # the head alone does
        assert type(got) is FileBrief and got.text == concise.text(res.findings).encode()
        assert got.index == res.index and got.generation == res.generation
        for fail_on in ("info", "warning", "error"):
            assert got.fails(fail_on) == fails(res.findings, fail_on)
        by_findings.take(res, unsafe)
        by_brief.take_brief(got, unsafe)
        whole = entry(raw, res.filename, True)
        assert type(whole) is FileResult and whole.findings == res.findings
        assert entry(raw, res.filename, True, heads_only=True) is cache_codec.NEEDS_FINDINGS
        index_only = entry(raw, res.filename, False, heads_only=True)
        assert type(index_only) is FileResult and index_only.index == res.index
        plain = cache_codec.encode_packed(res)  # no text kept: the findings are read
        assert type(entry(plain, res.filename, True, "text")) is FileResult
        assert entry(plain, res.filename, True, "text", True) is cache_codec.NEEDS_FINDINGS
        counted = entry(plain, res.filename, True, "counts", heads_only=True)
        assert type(counted) is FileBrief and counted.groups == got.groups
        assert entry(raw, "a/other.md", True, "text") is None  # not its name
    _same_summary(by_brief, by_findings)
    assert by_brief.files == 4 and by_brief.total == 7
    odd = cache_codec.encode_packed(res, lambda findings: "\udcff\n")  # not UTF-8: kept as text
    assert entry(odd, res.filename, True, "text").text == "\udcff\n"
    assert cache_codec.split_entry(b"\x05\x00\x00\x00ab") is None  # a head longer than the entry


def test_entries_without_the_text_are_rendered_from_their_findings(corpus, capsys, monkeypatch):
    """A cache written without the text (a run of the Python API), then one
    file changed (its entry now has it): the workers render the files without
    it from their findings, also in a batch beside one that has it."""
    from linter.pipeline.check import Check, CheckOptions

    cold = run(capsys, "--output-format", "concise", "--no-cache")
    monkeypatch.chdir(corpus)
    list(Check(CheckOptions(paths=["records"], jobs=2)).results())  # no brief
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.rendered == 13
    record = sorted((corpus / "records" / "_figures").glob("*.md"))[3]
    record.write_text(record.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")
    run(capsys, "--output-format", "concise")  # the new pack: one entry with the text
    answers.rendered = 0
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.rendered == 13 and answers.fell_back == 0


@pytest.mark.parametrize("args", [("--output-format", "concise"), ("--statistics",)])
def test_workers_make_no_finding_when_the_cache_holds_the_text(corpus, capsys, monkeypatch, args):
    """Concise output and the summary alone come from the entries' heads:
    a worker that built a finding would fail its batch (the run reads it)."""
    parent = os.getpid()
    made = cache_codec._packed_finding

    def in_parent_only(*a):
        assert os.getpid() == parent, "a worker decoded a finding"
        return made(*a)

    cold = run(capsys, *args, "--no-cache")
    run(capsys, *args)
    monkeypatch.setattr(cache_codec, "_packed_finding", in_parent_only)
    answers = Answers(monkeypatch)
    assert run(capsys, *args) == cold
    assert answers.rendered == 13 and answers.fell_back == 0


def test_summaries_merged_count_as_one():
    """Counting files in two summaries and merging them is counting them in one."""
    results = _results()
    one, first, second = Summary(), Summary(), Summary()
    for res in results:
        one.take(res, unsafe_fixes=False)
    first.take(results[0])
    for res in results[1:]:
        second.take(res)
    first.merge(second)
    _same_summary(first, one)
    assert one.files == 4 and one.fixable == 3 and one.hidden_fixes == 1


def test_changed_since_reads_the_unchanged_files_index_in_workers(corpus, capsys, monkeypatch):
    """``--changed-since``: the unchanged files' collection index entries are
    read by the workers; the collection findings are those of a run without
    the cache (a copied record clashes with its unchanged original)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    import subprocess

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "records"]):
        subprocess.run([*git, *args], cwd=corpus, check=True, capture_output=True)
    run(capsys, "--output-format", "concise")  # the cache and the pack of every record
    figures = sorted((corpus / "records" / "_figures").glob("*.md"))
    shutil.copy(figures[40], figures[40].with_name("PMC1__copy.md"))
    edited = figures[70]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")
    since = ("--output-format", "concise", "--changed-since", "HEAD", "--exit-zero")
    cold = run(capsys, *since, "--no-cache")
    assert "PMC1__copy.md" in cold[1] and "XR10" in cold[1]
    answers = Answers(monkeypatch)
    assert run(capsys, *since) == cold
    assert answers.rendered >= 10 and answers.fell_back == 0


def test_long_names_make_shorter_batches(corpus, capsys, monkeypatch):
    """A batch's names are capped in size (a message never fills the pipe
    a worker answers through): shorter batches, the same output."""
    run(capsys, "--output-format", "concise")
    cold = run(capsys, "--output-format", "concise", "--no-cache")
    monkeypatch.setattr(pool, "RENDER_NAMES", 100)  # about two names a batch
    answers = Answers(monkeypatch)
    assert run(capsys, "--output-format", "concise") == cold
    assert answers.rendered > 40 and answers.fell_back == 0


def test_long_paths_make_shorter_chunks_for_the_lint_workers(corpus, capsys, monkeypatch):
    """The same cap cuts the chunks of files sent to the workers that lint:
    the findings are those of one process."""
    for part in ("_figures", "_data"):  # 206 records: two workers
        shutil.copytree(corpus / "records" / part, corpus / "records" / "b" / part)
    one = run(capsys, "--output-format", "concise", "--no-cache", "--jobs", "1")
    monkeypatch.setattr(pool, "RENDER_NAMES", 100)
    sizes = []
    serve = pool._lint_parallel

    def counted(todo, settings, jobs, render=None, encode=None):
        sizes.append(len(todo))
        yield from serve(todo, settings, jobs, render, encode)

    monkeypatch.setattr(pool, "_lint_parallel", counted)
    monkeypatch.setattr(pool, "_runs", _recorded := _Recorder(pool._runs))
    assert run(capsys, "--output-format", "concise", "--no-cache", "--jobs", "2") == one
    assert sizes == [206] and max(b - a for a, b in _recorded.runs) <= 2


def _lint_workers_rendered(monkeypatch) -> dict:
    """Counts what the lint workers answered with: rendered chunks, plain results."""
    from linter.engine import RenderedFiles

    seen = {"rendered": 0, "results": 0, "render": None, "entries": 0}
    serve = pool._lint_parallel

    def counted(todo, settings, jobs, render=None, encode=None):
        seen["render"] = render is not None
        for got in serve(todo, settings, jobs, render, encode):
            seen["rendered" if type(got) is RenderedFiles else "results"] += 1
            if type(got) is RenderedFiles and got.entries is not None:
                seen["entries"] += len(got.entries)
            yield got

    monkeypatch.setattr(pool, "_lint_parallel", counted)
    return seen


@pytest.mark.parametrize("fmt", ["concise", "full", "json", "sarif", "github", "csv"])
def test_lint_workers_render_what_they_lint_as_the_run_would(corpus, capsys, monkeypatch, fmt):
    """Without a cache to write, the workers that lint render their chunks
    (the parent neither unpacks their findings nor renders them): the run
    prints, counts and exits exactly as linting in one process does."""
    for part in ("_figures", "_data"):  # 206 records: two workers
        shutil.copytree(corpus / "records" / part, corpus / "records" / "b" / part)
    one = run(capsys, "--output-format", fmt, "--no-cache", "--jobs", "1")
    seen = _lint_workers_rendered(monkeypatch)
    assert run(capsys, "--output-format", fmt, "--no-cache", "--jobs", "2") == one
    if seen["render"]:  # (a format whose output is more than its files' parts: none)
        assert seen["rendered"] > 2 and seen["results"] == 1  # the first file: the run's own
    assert run(capsys, "--output-format", fmt, "--no-cache", "--jobs", "2", "--statistics") == (
        run(capsys, "--output-format", fmt, "--no-cache", "--jobs", "1", "--statistics")
    )


def _entries(folder) -> list:
    """The results database's entries (name, key, findings, index: not the seal,
    whose key is the run's secret), in name order."""
    import sqlite3
    from contextlib import closing

    (db,) = (folder / ".pfocr-lint-cache").glob("*.sqlite3")
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT path, key, result, idx FROM entries ORDER BY path").fetchall()


@pytest.mark.parametrize("args", [("--output-format", "concise"), ("--statistics",)])
def test_lint_workers_encode_the_cache_entries_of_what_they_lint(corpus, capsys, monkeypatch, args):
    """A cold run that writes the cache has its lint workers render what
    they lint and encode each file's cache entry (the run's process seals
    and stores them): it prints as one process does, its entries are those
    one process writes, and a warm run on them prints the same again."""
    for part in ("_figures", "_data"):  # 206 records: two workers
        shutil.copytree(corpus / "records" / part, corpus / "records" / "b" / part)
    one = run(capsys, *args, "--jobs", "1")  # writes the cache in one process
    by_one = _entries(corpus)
    assert len(by_one) == 206
    shutil.rmtree(corpus / ".pfocr-lint-cache")
    seen = _lint_workers_rendered(monkeypatch)
    assert run(capsys, *args, "--jobs", "2") == one
    assert seen["rendered"] > 2 and seen["results"] == 1 and seen["entries"] == 205
    assert _entries(corpus) == by_one
    answers = Answers(monkeypatch)
    assert run(capsys, *args, "--jobs", "2") == one  # warm: read from the pack
    assert answers.rendered > 2 and answers.fell_back == 0


def test_a_chunk_with_an_internal_error_comes_back_unrendered(corpus, capsys, monkeypatch):
    """A file whose linting fails inside a worker is the run's to report
    (exit 2, the file named): its chunk comes back as results, the others
    rendered, and the output is that of one process."""
    from linter import engine

    for part in ("_figures", "_data"):
        shutil.copytree(corpus / "records" / part, corpus / "records" / "b" / part)
    broken = sorted((corpus / "records" / "b" / "_figures").glob("*.md"))[40].name
    real = engine.Linter._lint

    def failing(self, result, filename, path):
        if filename.endswith("b/_figures/" + broken):
            raise RuntimeError("a rule bug")
        return real(self, result, filename, path)

    monkeypatch.setattr(engine.Linter, "_lint", failing)
    one = run(capsys, "--output-format", "concise", "--no-cache", "--jobs", "1")
    assert one[0] == 2 and broken in one[2]
    seen = _lint_workers_rendered(monkeypatch)
    assert run(capsys, "--output-format", "concise", "--no-cache", "--jobs", "2") == one
    assert seen["rendered"] > 2 and seen["results"] > 1  # the first file, the broken chunk's


class _Recorder:
    def __init__(self, func):
        self.func, self.runs = func, []

    def __call__(self, *args):
        out = self.func(*args)
        self.runs.extend(out)
        return out


def test_utf8_text_goes_to_a_utf8_stream_as_it_is():
    """The cache's text, UTF-8, reaches a UTF-8 text file's bytes after what
    it had pending, and any other stream decoded: the same output."""
    import io

    from linter.base.textsafe import write_utf8

    data = "a.md:1:1: GN101 naïve – α\n".encode()
    raw = io.BytesIO()
    wrapped = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    wrapped.write("before\n")  # pending in the text layer
    write_utf8(wrapped, data)
    wrapped.write("after\n")
    wrapped.flush()
    assert raw.getvalue() == b"before\n" + data + b"after\n"
    text = io.StringIO()
    write_utf8(text, data)
    assert text.getvalue() == data.decode()
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="replace")
    write_utf8(latin, data)
    latin.flush()
    assert latin.buffer.getvalue() == data.decode().encode("latin-1", "replace")


def test_files_linted_in_the_run_collect_garbage_as_a_worker_does(corpus, capsys, monkeypatch):
    """Linting in the run's own process (--jobs 1) sets the collector's
    thresholds of a worker while it lints, and gives the old ones back."""
    from linter.engine.filelint import Linter

    seen = set()
    lint_file = Linter.lint_file

    def recording(linter, path, filename):
        seen.add(gc.get_threshold())
        return lint_file(linter, path, filename)

    monkeypatch.setattr(Linter, "lint_file", recording)
    before = gc.get_threshold()
    code, out, _ = run(capsys, "--no-cache", "--jobs", "1", "--output-format", "concise")
    assert code == 1 and out
    assert seen == {pool.GC_THRESHOLDS} != {before}
    assert gc.get_threshold() == before


def test_spool_slots_hold_a_batch_text_each():
    from linter.engine.spool import SLOT_BYTES, Spool, Spooled

    spool = Spool.open(3)
    try:
        first = spool.put(0, b"abc\n")
        second = spool.put(4, "\u00e9t\u00e9\n".encode())  # slot 4 % 3
        assert type(first) is Spooled and (first.slot, second.slot) == (0, 1)
        assert spool.take(second) == "\u00e9t\u00e9\n".encode() and spool.take(first) == b"abc\n"
        again = spool.put(3, b"x" * 10)  # slot 0 again, once its batch was taken
        assert again.slot == 0 and spool.take(again) == b"x" * 10
        big = b"y" * (SLOT_BYTES + 1)
        assert spool.put(5, big) is big  # over a slot: the bytes themselves
        assert spool.take(Spooled(7, 3)) is None  # no such slot
        assert spool.take(Spooled(2, 3)) is None  # nothing written there
        assert pickle.loads(pickle.dumps(first)).__reduce__() == first.__reduce__()
    finally:
        spool.close()


@pytest.mark.parametrize("slot_bytes", [1, 400])
def test_text_a_slot_cannot_hold_goes_through_the_pipe(corpus, capsys, monkeypatch, slot_bytes):
    """Each batch's text is in the spool, or, over a slot (1 byte: every
    batch; 400 bytes: some), in the pipe: the output is the run's own."""
    from linter.engine import spool

    monkeypatch.setattr(spool, "SLOT_BYTES", slot_bytes)
    args = ("--output-format", "concise")
    cold = run(capsys, *args, "--no-cache")
    assert run(capsys, *args)[:2] == cold[:2]
    answers = Answers(monkeypatch)
    assert run(capsys, *args) == cold
    assert answers.rendered == 13 and answers.fell_back == 0


def test_no_more_batches_out_than_spool_slots(corpus, capsys, monkeypatch):
    """A batch is sent only while fewer than the spool's slots are sent and
    not yet taken: a slot is never written over before it is read."""
    init, send, take = pool._Renderers.__init__, pool._Renderers.send, pool._Renderers.result
    taken: set[int] = set()
    most = [0]

    def narrow(renderers, *args):
        init(renderers, *args)
        renderers.slots = 3  # the window, not the workers' room, holds it back

    def sent(renderers, number, entries, names):
        oldest = min(set(range(number + 1)) - taken)  # sent and not yet taken
        assert number < oldest + 3
        most[0] = max(most[0], number - oldest + 1)
        return send(renderers, number, entries, names)

    def took(renderers, number):
        taken.add(number)
        return take(renderers, number)

    monkeypatch.setattr(pool._Renderers, "__init__", narrow)
    monkeypatch.setattr(pool._Renderers, "send", sent)
    monkeypatch.setattr(pool._Renderers, "result", took)
    args = ("--output-format", "concise")
    cold = run(capsys, *args, "--no-cache")
    assert run(capsys, *args)[:2] == cold[:2]
    assert run(capsys, *args) == cold
    assert most[0] == 3


def test_changed_files_index_merged_in_run_order_around_whole_batches():
    """``--changed-since``: the unchanged files' batches are added to the
    collection index whole where no changed file sits among them, else file
    by file; either way the index is the files' in the order of a whole run."""
    import itertools
    from types import SimpleNamespace

    from linter.engine import CollectionIndex, RenderedFiles
    from linter.pipeline.check import Check

    names = [f"r/{i:02d}.md" for i in range(30)]
    entries = {n: ({"XR101": [n[-5:-3].encode()]} if i % 4 else None) for i, n in enumerate(names)}
    for changed in ([], [0], [5], [7, 8], [3, 17, 29], [9, 10, 11, 12, 13]):
        unchanged = [n for i, n in enumerate(names) if i not in changed]
        for size in (1, 4, 7):
            context, rest = [], iter(unchanged)
            for j in itertools.count():
                batch = list(itertools.islice(rest, size))
                if not batch:
                    break
                if j % 3 == 2:  # some files come one by one, as the run reads them
                    context += [FileResult(n, [], entries[n]) for n in batch]
                    continue
                index = CollectionIndex.of((n, entries[n]) for n in batch)
                context.append(RenderedFiles(batch, index, None, None, False))
            held = [(i, names[i], entries[names[i]]) for i in changed]
            merged = CollectionIndex(["XR101"])
            Check._merge_index(SimpleNamespace(_positions=changed), merged, held, context)
            want = [(n, e) for n, e in entries.items() if e]
            assert list(merged.rows()) == want, (changed, size)
