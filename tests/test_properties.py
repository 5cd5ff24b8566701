"""Property-based and fault tests (hypothesis; bounded so the file runs in
seconds): the reader and every rule on mutated real records, the fast schema
check against jsonschema, fixes (the JSON's declared edits are exactly what
``--fix`` writes, a second run changes nothing, a ``--fix`` killed at random
never leaves a half-written record) and permissions as a user who is not
root. ``python tools/fuzz.py --minutes N`` runs the same mutations for longer."""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from conftest import run_cli as run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

sys.path.insert(0, str(ROOT / "tools"))
import fuzz  # noqa: E402

from linter.engine.fixing import _overlaps  # noqa: E402
from linter.reading.schema import SchemaValidator, load_schema  # noqa: E402

pytestmark = pytest.mark.usefixtures("cli_env")

BOUNDED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same examples every run: CI stays reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SEED_RECORDS = fuzz.load_seeds()
TABLES = fuzz.load_tables()
LINTER = fuzz.make_linter()
BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101, all safe fixes


# -- the reader and the rules on mutated real records --------------------------------------
@BOUNDED
@given(
    record=st.sampled_from(SEED_RECORDS),
    mutators=st.lists(st.sampled_from(fuzz.RECORD_MUTATORS), min_size=1, max_size=4),
    rng=st.randoms(use_true_random=False),
)
def test_mutated_records_give_located_findings_never_an_exception(record, mutators, rng):
    name, raw = record
    for m in mutators:
        raw = m(raw, rng)
    fuzz.run_record(LINTER, raw, name)  # raises fuzz.Failure (or anything) on a defect


@settings(BOUNDED, max_examples=25)
@given(
    record=st.sampled_from(SEED_RECORDS),
    rounds=st.integers(0, 2),
    table_rounds=st.integers(0, 3),
    rng=st.randoms(use_true_random=False),
)
def test_mutated_sidecar_tables_give_located_findings(record, rounds, table_rounds, rng):
    _, raw = record
    raw = fuzz.mutate(raw, rng, rounds=rounds)
    tables = {}
    for kind in ("genes", "chemicals", "diseases"):
        src = [t for n, t in TABLES if n.endswith(f"-{kind}.tsv")]
        tables[kind] = fuzz.mutate(rng.choice(src), rng, fuzz.TABLE_MUTATORS, table_rounds)
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.run_collection(LINTER, Path(tmp), raw, "PMC1__fuzz.md", tables)


def test_the_checks_catch_a_finding_outside_its_file():
    """The property is not vacuous: a location past the file fails it."""
    from linter.base.model import Finding, Span

    res = LINTER.lint_text("---\nfigid: x\n---\n", "x.md")
    bad = Finding("FM101", "x", "error", "m", "x.md", "", Span(9, 1, 9, 2, 0, 1))
    res.findings.append(bad)
    with pytest.raises(fuzz.Failure, match="outside"):
        fuzz.check_result(res, {"x.md": b"---\nfigid: x\n---\n"})


# -- the fast schema check agrees with jsonschema ----------------------------------------
SCHEMA = load_schema()
FAST = SchemaValidator(SCHEMA)._fast_check()
FULL = Draft202012Validator(SCHEMA)
FRONT_MATTERS = [fm for fm in (fuzz.front_matter(raw) for _, raw in SEED_RECORDS) if fm]

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="PMC0123456789_/.-:FSGA aZ\t\n/pmcarticlesfigure", max_size=24),
    st.sampled_from(
        ["", "NA", "PMC1", "PMC1__x", "/pmc/articles/PMC1/figure/F1/", "F1", "Figure 2", "2024",
         "10.1000/x", "1", "01", "D000001", "C123456789", "hgnc_symbol", "x.png", "MESH"]
    ),
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(doc, prefix=()):
    """Every (container path, key) in a front matter, for a value to replace."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


@settings(BOUNDED, max_examples=200)
@given(data=st.data())
def test_fast_schema_check_agrees_with_jsonschema(data):
    doc = copy.deepcopy(data.draw(st.sampled_from(FRONT_MATTERS)))
    for _ in range(data.draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["set", "set", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.text(max_size=12))] = data.draw(_values)
        else:
            parent[path[-1]] = data.draw(_values)
    full = FULL.is_valid(doc)
    assert FAST(doc) == full, doc


# -- fixes ---------------------------------------------------------------------------------
def _apply(text: str, edits: list[dict]) -> str:
    for e in sorted(edits, key=lambda e: (e["offset"], e["end_offset"]), reverse=True):
        text = text[: e["offset"]] + e["content"] + text[e["end_offset"] :]
    return text


def _json_fix_pass(capsys, path: Path) -> bool:
    """Apply, as a client would, the safe fixes the JSON output declares for
    ``path`` (non-overlapping, in the order given, as the engine does)."""
    rc, out, err = run(capsys, "--output-format", "json", str(path))
    taken: list[tuple[int, int]] = []
    edits = []
    for f in json.loads(out):
        fix = f["fix"]
        if f["filename"] != str(path) or not fix or fix["applicability"] != "safe":
            continue
        spans = [(e["offset"], e["end_offset"]) for e in fix["edits"]]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken += spans
        edits += fix["edits"]
    if not edits:
        return False
    text = path.read_text(encoding="utf-8")
    path.write_bytes(_apply(text, edits).encode("utf-8"))
    return True


def _fixable_records() -> list[Path]:
    corpus = fuzz.CORPUS / "_figures"
    picks = ["PMC1087184__JCI0525100.f2.md", "PMC1483167__JCI0629160.f1.md"]
    return [BAD, *sorted(SEEDS.glob("*.md")), *(corpus / p for p in picks)]


def test_json_declared_edits_give_exactly_the_fix_output(capsys, tmp_path):
    checked = 0
    for i, src in enumerate(_fixable_records()):
        by_json = tmp_path / f"j{i}" / src.name
        by_fix = tmp_path / f"f{i}" / src.name
        for p in (by_json, by_fix):
            p.parent.mkdir()
            shutil.copy(src, p)
        passes = 0
        while _json_fix_pass(capsys, by_json):  # re-linted until stable, as --fix does
            passes += 1
            assert passes <= 10
        rc, out, err = run(capsys, "--fix", "--output-format", "concise", str(by_fix))
        assert by_json.read_bytes() == by_fix.read_bytes(), src.name
        if passes:
            checked += 1
            assert by_fix.read_bytes() != src.read_bytes()
        # a second run changes nothing, and says so
        before = by_fix.read_bytes()
        rc, out, err = run(capsys, "--fix", "--output-format", "concise", str(by_fix))
        assert by_fix.read_bytes() == before
        assert "Fixed" not in err
    assert checked >= 2


def test_fix_killed_at_random_points_never_leaves_a_half_written_record(tmp_path):
    original = BAD.read_bytes()
    ref = tmp_path / "ref" / BAD.name
    ref.parent.mkdir()
    ref.write_bytes(original)
    subprocess.run(
        [sys.executable, "-m", "linter", "check", "--fix", "--no-cache", str(ref)],
        capture_output=True,
        check=False,
        timeout=120,
    )
    fixed = ref.read_bytes()
    assert fixed != original
    recs = tmp_path / "recs"
    recs.mkdir()
    names = [f"PMC{7773330 + i}__rec{i}.md" for i in range(100)]
    for name in names:
        (recs / name).write_bytes(original)
    rng = random.Random(11)
    cmd = [sys.executable, "-m", "linter", "check", "--fix", "--no-cache", "--quiet", "recs"]
    kills = 0
    for attempt in range(3):
        proc = subprocess.Popen(
            cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # the first kill lands just after the first record is rewritten, the
        # others at random
        deadline = time.monotonic() + 60
        if attempt == 0:
            while proc.poll() is None and time.monotonic() < deadline:
                if any((recs / n).read_bytes() == fixed for n in names):
                    break
                time.sleep(0.002)
        else:
            time.sleep(rng.uniform(0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        states = {(recs / n).read_bytes() for n in names}
        assert states <= {original, fixed}  # never truncated, never half-written
    assert kills >= 1
    subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert {(recs / n).read_bytes() for n in names} == {fixed}
    # a killed write leaves at most its own temporary file, never a record
    assert {p.name for p in recs.glob("*.md")} == set(names)


# -- permissions, as a user who is not root -----------------------------------------------
def _as_nobody(args: list[str], cwd: str) -> tuple[int, str, str]:
    """Run ``pfocr-lint ARGS`` in a forked child that dropped root for
    ``nobody`` (the modules it needs are imported before the fork: the
    interpreter may live where that user cannot read)."""
    import pwd

    from linter.cli.main import main

    user = pwd.getpwnam("nobody")
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.chdir(cwd)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            code = main(args)
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            code = 99
        os._exit(code)
    os.close(out_w)
    os.close(err_w)
    with open(out_r, "rb") as o, open(err_r, "rb") as e:
        out, err = o.read(), e.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(), err.decode()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to drop privileges")
def test_unreadable_record_and_folder_are_located_errors_the_rest_linted(capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to the 'nobody' user (run as root in CI)")
    try:
        import pwd

        pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        pytest.skip("no 'nobody' user on this system")
    top = Path(tempfile.mkdtemp())  # outside pytest's root-only folder
    try:
        top.chmod(0o755)
        recs = top / "recs"
        (recs / "locked").mkdir(parents=True)
        for p in (
            recs / "PMC1__readable.md",
            recs / "PMC2__secret.md",
            recs / "locked" / "PMC3__x.md",
        ):
            shutil.copy(BAD, p)
            p.chmod(0o644)
        recs.chmod(0o755)
        (recs / "PMC2__secret.md").chmod(0)
        (recs / "locked").chmod(0)
        args = ["check", "--no-cache", "--select", "ID,NA", "--output-format", "json"]
        run(capsys, *args[2:], str(recs))  # as root: imports everything the child needs
        code, out, err = _as_nobody([*args, "recs"], str(top))
        assert code == 2, err
        lines = sorted(err.splitlines())
        assert lines == [
            "pfocr-lint: error: recs/PMC2__secret.md: cannot read: Permission denied",
            "pfocr-lint: error: recs/locked: cannot list the folder: Permission denied",
        ]
        found = json.loads(out)
        assert {f["filename"] for f in found} == {"recs/PMC1__readable.md"}
        assert {"ID105", "NA101"} <= {f["code"] for f in found}
        # given directly, an unreadable record is the same located error
        code, out, err = _as_nobody(
            [*args, "recs/PMC2__secret.md", "recs/PMC1__readable.md"], str(top)
        )
        assert code == 2
        assert err == "pfocr-lint: error: recs/PMC2__secret.md: cannot read: Permission denied\n"
        assert {f["filename"] for f in json.loads(out)} == {"recs/PMC1__readable.md"}
    finally:
        for p in (recs / "locked", recs / "PMC2__secret.md"):
            p.chmod(0o755)
        shutil.rmtree(top)
