"""Bad input: FM101–FM106 through the CLI. Never a traceback, never a lost or
changed byte, every defect located (1-based line and column)."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

from linter.engine import Linter
from linter.pipeline.config import build_settings, load_config
from linter.reading.reader import DEFAULT_MAX_SIZE, parse_bytes

CLEAN = SEEDS / "PMC6457213__advances029850f7.md"


pytestmark = pytest.mark.usefixtures("cli_env")


def lint_json(capsys, *args):
    code, out, err = run(capsys, "--output-format", "json", *args)
    return code, json.loads(out), err


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def one(capsys, path: Path, code: str, select: str = "FM"):
    """The single finding of ``code`` for ``path`` (with only ``select`` enabled)."""
    rc, found, err = lint_json(capsys, "--select", select, str(path))
    assert err == ""
    assert rc == 1, found
    hits = [f for f in found if f["code"] == code]
    assert len(hits) == 1, found
    f = hits[0]
    assert f["filename"] == str(path)
    assert f["location"]["row"] >= 1 and f["location"]["column"] >= 1
    return f


def loc(f) -> tuple[int, int]:
    return f["location"]["row"], f["location"]["column"]


# -- FM101 -------------------------------------------------------------------------------
def test_fm101_no_front_matter(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", "figid: PMC1__f1\ncaption: x\n")
    f = one(capsys, p, "FM101")
    assert loc(f) == (1, 1)
    assert f["name"] == "missing-front-matter" and f["severity"] == "error"


def test_fm101_unclosed_front_matter(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", "---\nfigid: PMC1__f1\ncaption: x\n")
    f = one(capsys, p, "FM101")
    assert "not closed" in f["message"]


def test_fm101_in_figures_folder(capsys, tmp_path):
    p = write(tmp_path / "_figures" / "anything.md", "# no front matter\n")
    f = one(capsys, p, "FM101")
    assert loc(f) == (1, 1)


def test_non_record_markdown_is_skipped(capsys, tmp_path):
    write(tmp_path / "recs" / "README.md", "# The records\n\nSee CONTRIBUTING.\n")
    write(tmp_path / "recs" / "notes.md", "Some notes, no front matter.\n")
    write(tmp_path / "recs" / CLEAN.name, CLEAN.read_bytes())
    rc, out, err = run(capsys, "--output-format", "concise", "recs")
    assert (rc, err) == (0, "")
    assert "All checks passed! (1 file linted)" in out
    # named explicitly, a README is still not a record: ruff's warning, and
    # exit 0 when every path given is a file (what pre-commit passes)
    rc, out, err = run(capsys, "recs/README.md")
    assert (rc, err) == (0, "pfocr-lint: warning: No records found under the given path(s).\n")


# -- FM102 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, where, problem",
    [
        ("figid: PMC1__f1\ncaption: 'unterminated\nyear: '2019'\n", (4, 8), "expected key"),
        ("figid: PMC1__f1\nyear: [2019\nnumber: F1\n", (4, 7), "flow sequence"),
        ("figid: PMC1__f1\n  bad: indent\n", (3, 6), "mapping values are not allowed"),
    ],
)
def test_fm102_syntax_error_with_position(capsys, tmp_path, body, where, problem):
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    f = one(capsys, p, "FM102")
    assert loc(f) == where
    assert f["message"].startswith("invalid YAML: ")
    assert problem in f["message"]


# -- FM103 -------------------------------------------------------------------------------
def test_fm103_duplicate_key_names_both_lines(capsys, tmp_path):
    p = write(
        tmp_path / "PMC1__f1.md", "---\nfigid: PMC1__f1\nyear: '2019'\nx: 1\nyear: '2020'\n---\n"
    )
    f = one(capsys, p, "FM103")
    assert loc(f) == (5, 1)
    assert "'year'" in f["message"]
    assert "line 3" in f["message"] and "line 5" in f["message"]


def test_fm103_duplicate_key_in_nested_mapping(capsys, tmp_path):
    text = "---\nfigid: PMC1__f1\nschema-jsonld:\n  name: a\n  '@id': b\n  name: c\n---\n"
    p = write(tmp_path / "PMC1__f1.md", text)
    f = one(capsys, p, "FM103")
    assert loc(f) == (6, 3)
    assert "line 4" in f["message"] and "line 6" in f["message"]


# -- FM104 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, kind",
    [("- figid: PMC1__f1\n- x\n", "sequence"), ("just a string\n", "scalar"), ("", "empty")],
)
def test_fm104_not_a_mapping(capsys, tmp_path, body, kind):
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    f = one(capsys, p, "FM104")
    assert kind in f["message"]
    assert loc(f) == (2, 1)


# -- FM105 -------------------------------------------------------------------------------
def test_fm105_invalid_utf8_with_position(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", b"---\nfigid: PMC1__f1\ncaption: caf\xc3\xa9 \xff x\n---\n")
    f = one(capsys, p, "FM105")
    assert loc(f) == (3, 15)  # characters, not bytes: the 'é' counts once
    assert "0xff" in f["message"]
    assert f["fix"] is None


def test_fm105_bom_is_fixable(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", b"\xef\xbb\xbf---\nfigid: PMC1__f1\n---\n")
    f = one(capsys, p, "FM105")
    assert loc(f) == (1, 1)
    assert "byte-order mark" in f["message"]
    assert f["fix"]["applicability"] == "safe"
    assert f["fix"]["edits"] == [
        {
            "content": "",
            "offset": 0,
            "end_offset": 1,
            "location": {"row": 1, "column": 1},
            "end_location": {"row": 1, "column": 2},
        }
    ]


@pytest.mark.parametrize(
    "raw, where, char",
    [
        (b'---\nfigid: PMC1__f1\ncaption: "ab\x00cd"\n---\n', (3, 13), "U+0000"),
        (b"---\nfigid: PMC1__f1\ncaption: ab\x07cd\n---\n", (3, 12), "U+0007"),
        (b"---\nfigid: PMC1__f1\ncaption: ab\x1b[31mred\n---\n", (3, 12), "U+001B"),
    ],
)
def test_fm105_control_characters(capsys, tmp_path, raw, where, char):
    p = write(tmp_path / "PMC1__f1.md", raw)
    f = one(capsys, p, "FM105")
    assert loc(f) == where
    assert char in f["message"]
    assert f["fix"] is None


def test_fm105_tab_cr_lf_are_fine(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", b'---\r\nfigid: PMC1__f1\r\ncaption: "a\tb"\r\n---\r\n')
    rc, found, err = lint_json(capsys, "--select", "FM", str(p))
    assert (rc, found, err) == (0, [], "")


# -- FM106 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, where, words",
    [
        ("figid: !!python/object/apply:os.system ['true']", (3, 8), "python/object/apply"),
        ("figid: !!python/object:builtins.dict {}", (3, 8), "python/object"),
        ("figid: !custom PMC1__f1", (3, 8), "'!custom'"),
        ("figid: !!binary aGVsbG8=", (3, 8), "binary"),
        ("? [a, b]\n: complex", (3, 3), "complex"),
    ],
)
def test_fm106_tags_are_rejected(capsys, tmp_path, line, where, words):
    p = write(tmp_path / "PMC1__f1.md", f"---\nyear: '2019'\n{line}\n---\n")
    f = one(capsys, p, "FM106")
    assert loc(f) == where
    assert words in f["message"]


@pytest.mark.parametrize(
    "body, where, words",
    [
        ("a: &x PMC1\nb: *x\n", None, "aliases"),  # at the anchor or the alias
        ("a: &x PMC1\nb: 1\n", (2, 4), "anchors"),  # an anchor alone
        ("&k a: b\n", (2, 1), "anchors"),  # on a key
        ("a: [&x 1, 2]\n", (2, 5), "anchors"),  # in a flow sequence
        ("a:\n- &x z\n", (3, 3), "anchors"),  # on a list item
        ("a: !!str &x z\n", (2, 10), "anchors"),  # after a tag
        ("a: &x\n  b: 1\n", (2, 4), "anchors"),  # on a mapping
        ('{"a":&x 1}\n', (2, 6), "anchors"),  # after a quoted flow key
        ('{"a": &x 1, "b":*x}\n', None, "aliases"),
    ],
)
def test_fm106_anchors_and_aliases(capsys, tmp_path, body, where, words):
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    f = one(capsys, p, "FM106")
    assert where is None or loc(f) == where
    assert words in f["message"]


def test_ampersands_in_text_are_not_anchors(capsys, tmp_path):
    body = 'a: "x &y"\nb: R&D\nc: x # &z\nd: |\n  text &w\n# &v comment\ne: R &D\n'
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    rc, found, err = lint_json(capsys, "--select", "FM", str(p))
    assert (rc, found, err) == (0, [], "")


def _billion_laughs() -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines + ["---", ""])


def test_fm106_billion_laughs_is_rejected_quickly_and_small(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", _billion_laughs())
    f = one(capsys, p, "FM106")  # warm up: rules imported
    assert "aliases" in f["message"]
    linter = Linter(build_settings(load_config(None, tmp_path)))
    tracemalloc.start()
    try:
        start = time.perf_counter()
        res = linter.lint_file(p, str(p))
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [x.code for x in res.findings] == ["FM106"]
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize(
    "body",
    [
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",  # used to crash the process (C stack)
        "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
        "a:\n" + "- " * 100_000 + "x\n",
    ],
    ids=["flow-seq", "flow-map", "block-seq"],
)
def test_fm106_deep_nesting_is_rejected_quickly(capsys, tmp_path, body):
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    start = time.perf_counter()
    f = one(capsys, p, "FM106")
    assert time.perf_counter() - start < 5
    assert "nested deeper" in f["message"]


def test_moderate_nesting_is_fine(capsys, tmp_path):
    # 300 brackets in a text: over the cheap bound, so the parser's events decide
    body = "a: " + "[" * 50 + "]" * 50 + "\nb: '" + "[x] " * 300 + "'\n"
    p = write(tmp_path / "PMC1__f1.md", f"---\n{body}---\n")
    rc, found, err = lint_json(capsys, "--select", "FM", str(p))
    assert (rc, found, err) == (0, [], "")


def test_fm106_file_over_the_default_size_limit(capsys, tmp_path):
    p = write(tmp_path / "PMC1__f1.md", "---\ncaption: " + "x" * DEFAULT_MAX_SIZE + "\n---\n")
    f = one(capsys, p, "FM106")
    assert str(DEFAULT_MAX_SIZE) in f["message"]
    assert loc(f) == (1, 1)


def test_fm106_max_file_size_is_configurable(capsys, tmp_path):
    write(tmp_path / "pfocr-lint.toml", "max-file-size = 2000\n")
    big = write(tmp_path / "big.md", CLEAN.read_bytes())  # 2749 bytes
    f = one(capsys, big, "FM106")
    assert "2000 bytes" in f["message"]
    write(tmp_path / "pfocr-lint.toml", "max-file-size = 3000\n")
    rc, found, err = lint_json(capsys, "--select", "FM", str(big))
    assert (rc, found) == (0, [])


# -- robustness ----------------------------------------------------------------------------
BAD_FILES = {
    "PMC1__nofm.md": b"figid: x\n",
    "unclosed.md": b"---\nfigid: x\n",
    "syntax.md": b"---\na: [\n---\n",
    "dup.md": b"---\na: 1\na: 2\n---\n",
    "list.md": b"---\n- a\n---\n",
    "empty.md": b"---\n---\n",
    "badutf.md": b"---\na: \xfe\n---\n",
    "bom.md": b"\xef\xbb\xbf---\na: b\n---\n",
    "nul.md": b"---\na: \x00\n---\n",
    "tag.md": b"---\na: !!python/object:os.system {}\n---\n",
    "alias.md": b"---\na: &a x\nb: *a\n---\n",
    "deep.md": b"---\na: " + b"[" * 20000 + b"\n---\n",
    "truncated.md": b"---\na: 'x\n---\n",
    "binary.md": b"---\n" + bytes(range(256)) + b"\n---\n",
    "only-dashes.md": b"---",
    "crlf-bad.md": b"---\r\na: 1\r\na: 2\r\n---\r\n",
}


def test_a_tree_of_bad_files_never_tracebacks_nor_changes_a_byte(capsys, tmp_path):
    # in _figures/: every Markdown file there is a record, whatever its name
    for name, raw in BAD_FILES.items():
        write(tmp_path / "_figures" / name, raw)
    before = {p: p.read_bytes() for p in (tmp_path / "_figures").iterdir()}
    rc, out, err = run(capsys, "--output-format", "concise", "_figures")
    assert rc == 1
    assert err == ""
    assert "Traceback" not in out
    reported = {line.split(":", 1)[0] for line in out.splitlines() if line.startswith("_figures/")}
    expected = {f"_figures/{n}" for n in BAD_FILES}
    assert reported == expected
    assert {p: p.read_bytes() for p in (tmp_path / "_figures").iterdir()} == before
    assert sorted(os.listdir(tmp_path / "_figures")) == sorted(BAD_FILES)


def test_parse_bytes_never_raises_on_garbage():
    samples = [bytes([i]) * 5 for i in range(256)] + [
        b"---\n" + bytes([i, j]) + b"\n---\n" for i in range(0, 256, 7) for j in range(0, 256, 11)
    ]
    for raw in samples:
        parse_bytes(raw, "x.md")  # must not raise


def test_unreadable_file(capsys, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: permissions are not enforced")
    p = write(tmp_path / "PMC1__f1.md", CLEAN.read_bytes())
    p.chmod(0)
    try:
        rc, out, err = run(capsys, str(p))
    finally:
        p.chmod(0o644)
    assert rc == 2
    assert str(p) in err and "Traceback" not in err


def test_broken_symlink_named_explicitly(capsys, tmp_path):
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    rc, out, err = run(capsys, "gone.md")
    assert rc == 2
    assert "gone.md" in err and "broken symbolic link" in err
    assert "Traceback" not in err


def test_broken_symlink_in_a_directory_is_an_error_but_others_are_linted(capsys, tmp_path):
    write(tmp_path / "_figures" / "a.md", b"---\na: 1\na: 2\n---\n")
    (tmp_path / "_figures" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    rc, out, err = run(capsys, "--select", "FM", "--output-format", "concise", "_figures")
    assert rc == 2
    assert "_figures/gone.md" in err and "Traceback" not in err
    assert "_figures/a.md:3:1: FM103" in out


def test_missing_path(capsys, tmp_path):
    rc, out, err = run(capsys, "no-such.md")
    assert rc == 2
    assert "no-such.md" in err and "no such file" in err


def test_directory_where_a_file_is_expected(capsys, tmp_path):
    (tmp_path / "conf.toml").mkdir()
    write(tmp_path / "PMC1__f1.md", CLEAN.read_bytes())
    rc, out, err = run(capsys, "--config", "conf.toml", "PMC1__f1.md")
    assert rc == 2
    assert "conf.toml" in err and "Traceback" not in err


def test_directory_named_like_a_record_is_walked(capsys, tmp_path):
    write(tmp_path / "_figures" / "odd.md" / "inner.md", b"---\na: 1\na: 2\n---\n")
    rc, out, err = run(capsys, "--select", "FM", "--output-format", "concise", "_figures")
    assert (rc, err) == (1, "")
    assert "_figures/odd.md/inner.md:3:1: FM103" in out


def test_fast_resolver_agrees_with_pyyaml():
    """The loader's shortcut for plain scalars must tag exactly like PyYAML's
    implicit resolvers, collections included."""
    import random

    import yaml

    from linter.reading.compose import _Loader

    fast, full = _Loader(""), yaml.SafeLoader("")
    rng = random.Random(7)
    alphabet = "yYnNtTfFoO~.-+0123456789<=!&*abcelrsuLESUx_: "
    values = ["", "yes", "NULL", "~", "ON", "off", "ndex", "2024-01-01", ".inf", "<<", "!", "&"]
    values += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(30000)
    ]
    for value in values:
        for implicit in ((True, False), (False, True), (False, False)):
            got = fast.resolve(yaml.ScalarNode, value, implicit)
            assert got == full.resolve(yaml.ScalarNode, value, implicit), (value, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert fast.resolve(kind, None, True) == full.resolve(kind, None, True)
