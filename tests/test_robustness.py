"""Trust boundaries (issue 19): no input reaches an internal error, a hang or
an unbounded output. Records with malformed and deeply nested values, fixes
of values far to the right, hostile sidecar tables, long citations, schema
patterns on long values, configuration values of the wrong type, file names
that are not UTF-8. Sizes are checked, not timings: an output or a count
that grows with the square of the input fails however fast the machine."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS
from rulefixtures import default_filename, load_cases

from linter.engine import Linter, Settings, fix_text
from linter.reading.reader import MAX_DEPTH
from linter.rules.registry import all_rules

SEED = SEEDS / "PMC7773330__hs9-5-e516-g001.md"
FIGID = "PMC7773330__hs9-5-e516-g001"
ALL = frozenset(all_rules())


def cli(*args, cwd=None, timeout=120):
    """``python -m linter check --no-cache ARGS`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        env=_env(),
    )


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PFOCR_LINT_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def record_text(data: dict, flow: bool = False) -> str:
    body = yaml.dump(  # libyaml's emitter: the Python one takes seconds on long values
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        sort_keys=False,
        width=10**9,
        allow_unicode=True,
        default_flow_style=flow or None,
    )
    return "---\n" + body + "---\n"


# -- 1. malformed and deeply nested values reach no rule as an exception --------------
def _base() -> dict:
    data = front_matter(SEED.read_text(encoding="utf-8"))
    data["genes"] = [
        {"word": "JAK2", "symbol": "JAK2", "source": "hgnc_symbol", "hgnc_symbol": "JAK2",
         "entrez": "3717"},
        {"word": "STAT", "symbol": "STAT1", "source": "bioentities_symbol",
         "hgnc_symbol": "STAT1", "entrez": "6772"},
    ]  # fmt: skip
    data["chemicals"] = [{"word": "glucose", "source": "MESH", "identifier": "D005947"}]
    data["diseases"] = [{"word": "cancer", "source": "MESH", "identifier": "D009369"}]
    data["schema-jsonld"]["keywords"] = ["JAK2", "STAT1", "glucose", "cancer"]
    return data


def _nested(shape: str, depth: int, leaf):
    value = leaf
    for i in range(depth):
        if shape == "list" or (shape == "mix" and i % 2):
            value = [value]
        else:
            value = {"NA": value}
    return value


def _places(data: dict) -> list[tuple]:
    """Every top-level key, every key of schema-jsonld, every field of the
    first gene, chemical and disease entry, the entries and a keyword."""
    out = [(k,) for k in data]
    out += [("schema-jsonld", k) for k in data["schema-jsonld"]]
    for kind in ("genes", "chemicals", "diseases"):
        out.append((kind, 0))
        out += [(kind, 0, f) for f in data[kind][0]]
    out.append(("schema-jsonld", "keywords", 0))
    return out


MALFORMED = [[], {}, 0, -1, 1.5, True, None, "", "NA", ".na.character", [None, 1, {"a": []}]]
# numbers and number-like text past int()'s 4,300 digits (the pmcid's number,
# MD109's `Figure <n>`, MD106's NaN test on a huge int reached internal errors)
MALFORMED += [int("9" * 4200), "PMC" + "1" * 5000, "Figure " + "1" * 5000, "1" * 5000]


def malformed_records():
    """(label, text): the base record with one value replaced by a value of
    another type, or nested as deep as the reader accepts."""
    base = _base()
    for place in _places(base):
        values = list(MALFORMED)
        room = MAX_DEPTH - len(place) - 2  # the root mapping and the leaf's container
        for shape in ("list", "map", "mix"):
            values += [_nested(shape, room, leaf) for leaf in ("NA", "JAK2", None, 7, "x " * 600)]
        for value in values:
            data = copy.deepcopy(base)
            target = data
            for step in place[:-1]:
                target = target[step]
            target[place[-1]] = value
            yield f"{'/'.join(map(str, place))}={json.dumps(value)[:40]}", record_text(data)


def test_every_rule_survives_malformed_and_deeply_nested_values():
    linter = Linter(Settings(select=ALL))
    failures, seen = [], 0
    for label, text in malformed_records():
        result = linter.lint_text(text, f"{FIGID}.md")
        assert not any(f.code in ("FM102", "FM106") for f in result.findings), label
        if result.error:
            failures.append(f"{label}: {result.error}")
            continue
        final, _, _ = fix_text(linter, text, f"{FIGID}.md", None, unsafe=True)
        if final.error:
            failures.append(f"{label} (fixing): {final.error}")
        seen += 1
    assert not failures, "\n".join(failures[:20])
    assert seen > 1000


def test_malformed_records_through_the_cli_end_without_an_internal_error(tmp_path):
    figures = tmp_path / "_figures"
    figures.mkdir()
    for i, (_, text) in enumerate(malformed_records()):
        if i % 7 == 0:  # a sample: the test above runs them all in process
            (figures / f"PMC{i}__f{i}.md").write_text(text, encoding="utf-8")
    run = cli("--select", "ALL", "--output-format", "json", "-j", "1", ".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr.decode()
    assert b"internal error" not in run.stderr
    json.loads(run.stdout)
    run = cli("--select", "ALL", "--diff", "--unsafe-fixes", "-j", "1", ".", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr.decode()
    assert b"internal error" not in run.stderr


def _far_right(text: str, how: str) -> str | None:
    """The record with its front matter moved past column 1,000: as one flow
    mapping after a long first value, or every line indented by 1,000."""
    head, sep, rest = text[4:].partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        return None
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    if how == "flow":
        flow = yaml.safe_dump(
            data, default_flow_style=True, width=10**9, sort_keys=False, allow_unicode=True
        ).strip()
        return "---\n{zz: " + "x" * 1000 + ", " + flow[1:] + "\n---\n" + rest
    lines = head.splitlines(keepends=True)
    indented = "".join(" " * 1000 + ln if ln.strip() else ln for ln in lines)
    return "---\n" + indented + "\n---\n" + rest


FIXABLE = [c for c in load_cases() if "fixed" in c[2] and "text" not in c[2]]


@pytest.mark.parametrize("how", ["flow", "indent"])
def test_fixes_of_values_past_column_1000(tmp_path, how):
    """edits.render_scalar nests one mapping per two columns: a value at
    column 1,000 reached RecursionError in PyYAML (GN103, GN104, ID103-ID108,
    KW101, KW102, MD111, NA101). The fix builder now writes the same text without
    that cost; an indented record's fixes give the data its fixture's give."""
    from rulefixtures import case_text, write_case

    failures, fixed_any = [], 0
    for name, _, case in FIXABLE:
        text = _far_right(case_text(case), how)
        if text is None:
            continue
        target, linter = write_case(case, tmp_path / name, text)
        result, fixed, count = fix_text(linter, text, str(target), target, bool(case.get("unsafe")))
        if result.error:
            failures.append(f"{name}: {result.error}")
            continue
        if how == "indent" and count:
            fixed_any += 1
            want = front_matter(case["fixed"])
            got = yaml.safe_load(fixed.partition("\n---\n")[0][4:])
            if got != want:
                failures.append(f"{name}: fixed data differs")
    assert not failures, "\n".join(failures[:10])
    if how == "indent":
        assert fixed_any >= 20


def test_render_scalar_far_right_needs_no_recursion():
    from linter.rules import edits

    text = edits.render_scalar("a b", 1_000_000, "k")  # column 1,000,000
    assert text.split() == ["a", "b"]


# -- 2. sidecar tables: CR line endings, huge headers -------------------------------
def _collection(tmp_path: Path, table: bytes, kind: str = "genes") -> Path:
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    (tmp_path / "_figures" / f"{FIGID}.md").write_bytes(SEED.read_bytes())
    (tmp_path / "_data" / f"{FIGID}-{kind}.tsv").write_bytes(table)
    return tmp_path


def _json_findings(run) -> list[dict]:
    assert run.returncode in (0, 1), run.stderr.decode()
    return json.loads(run.stdout)


def test_a_table_with_cr_line_endings_is_fm107_at_its_first_line(tmp_path):
    """Lines that end in CR alone were read as one header line of 720 KB (and
    the duplicate-column check took minutes on it): such a table is FM107,
    reported once, and not read."""
    rows = "".join(f"Homo sapiens\tW{i}\tS{i}\t{i}\r" for i in range(30_000))
    table = ("organism_name\tword\tncbigene_symbol\tncbigene_id\r" + rows).encode()
    assert len(table) > 700_000
    root = _collection(tmp_path, table)
    run = cli("--select", "FM107", "--output-format", "json", ".", cwd=root, timeout=60)
    found = _json_findings(run)
    assert [(f["code"], f["filename"], f["location"]["row"]) for f in found] == [
        ("FM107", f"_data/{FIGID}-genes.tsv", 1)
    ], found
    assert "carriage return" in found[0]["message"]
    assert len(run.stdout) < 2_000


def test_duplicate_columns_of_a_huge_header_are_found_in_one_pass(tmp_path):
    header = "\t".join(f"c{i}" for i in range(120_000)) + "\tc5\torganism_name\n"
    root = _collection(tmp_path, header.encode())
    run = cli("--select", "FM107", "--output-format", "json", ".", cwd=root, timeout=60)
    found = _json_findings(run)
    assert [f["message"] for f in found] == ["genes table: header repeats column 'c5'"]
    # a repeated column name of any length is quoted bounded
    header = "\t".join(["x" * 400_000] * 2) + "\n"
    (root / "_data" / f"{FIGID}-genes.tsv").write_text(header, encoding="utf-8")
    found = _json_findings(cli("--select", "FM107", "--output-format", "json", ".", cwd=root))
    assert found[0]["message"].endswith("…' (399,800 more characters)")
    assert len(found[0]["message"]) < 300


# -- 3. messages quote values bounded; NA104 is linear ------------------------------
def test_na104_on_a_megabyte_of_na_parts_gives_a_small_report(tmp_path):
    """`NA;NA;…` without a space: NA104 scanned the whole token around every
    part (15 s for one record) and quoted it once per part (a 5.6 MB
    message). The JSON report of the record is now a few hundred bytes."""
    text = SEED.read_text(encoding="utf-8")
    old = "reftext: Sime Brkic, et al. Hemasphere. 2021 Jan;5(1):e516."
    for reftext in ("NA;" * 330_000, "x. NA; " * 140_000, "(NA)" * 250_000):
        record = tmp_path / f"{FIGID}.md"
        record.write_text(text.replace(old, f"reftext: '{reftext}'"), encoding="utf-8")
        assert record.stat().st_size < 1024 * 1024
        run = cli("--select", "NA104", "--output-format", "json", record, timeout=60)
        found = _json_findings(run)
        assert len(run.stdout) < 10_000, len(run.stdout)
        assert [f["code"] for f in found] == ["NA104"]
        assert "more" in found[0]["message"]


def _leaves(data, path=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _inflated(data: dict, how) -> dict:
    data = copy.deepcopy(data)
    for path, value in list(_leaves(data)):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = how(value)
    return data


INFLATE = {
    "suffix": lambda s: s + " " + "y" * 20_000,
    "prefix": lambda s: "y" * 20_000 + s,
    "repeat": lambda s: (s * (20_000 // max(1, len(s)) + 1))[:20_000] if s else "",
}
MESSAGE_LIMIT = 1_500  # a message quotes a few values of at most ~200 characters each


@pytest.mark.parametrize("how", sorted(INFLATE))
def test_every_message_stays_short_whatever_the_values(tmp_path, how):
    """Every string of every rule fixture's record (and every cell of its
    tables) made 20,000 characters long: the rules still report, and no
    message (or fix message) is longer than MESSAGE_LIMIT. GN106 is left out
    (its messages are being reworked elsewhere)."""
    inflate = INFLATE[how]
    from rulefixtures import case_text

    too_long, reported = [], set()
    for name, _, case in load_cases():
        text = case_text(case)
        head, sep, rest = text[4:].partition("\n---\n")
        if not text.startswith("---\n") or not sep or case["select"] == ["GN106"]:
            continue
        try:
            data = yaml.safe_load(head)
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict):
            continue
        folder = tmp_path / name
        target = folder / (case.get("filename") or default_filename(text))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record_text(_inflated(data, inflate)) + rest, encoding="utf-8")
        for rel, content in (case.get("files") or {}).items():
            lines = content.split("\n")
            body = ["\t".join(map(inflate, ln.split("\t"))) if ln else ln for ln in lines[1:]]
            p = (target.parent / rel).resolve()
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("\n".join([lines[0], *body]), encoding="utf-8")
        select = frozenset(case["select"]) - {"GN106"}
        settings = Settings(select=select, root=folder, options=dict(case.get("options") or {}))
        result = Linter(settings).lint_file(target, str(target))
        assert result.error is None, result.error
        for f in result.findings:
            reported.add(f.code)
            for message in (f.message, f.fix.message if f.fix else ""):
                if len(message) > MESSAGE_LIMIT:
                    too_long.append(f"{name} {f.code}: {len(message)}: {message[:200]}")
    assert not too_long, "\n".join(too_long[:20])
    assert len(reported) >= 25, sorted(reported)


# -- 4. schema patterns on long hostile values ---------------------------------------
def _schema_patterns(schema) -> list[tuple[str, str]]:
    out, stack = [], [("", schema)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                out.append((where, node["pattern"]))
            stack.extend((f"{where}/{k}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{where}/{i}", v) for i, v in enumerate(node))
    return out


def test_shipped_patterns_nest_no_repeat():
    from linter.reading.schema import load_schema, nested_repeat

    patterns = _schema_patterns(load_schema())
    assert len(patterns) >= 15
    assert [p for p in patterns if nested_repeat(p[1])] == []


HOSTILE = ["1", "_", "a", "/", "\n", " ", ".", "a.", "PMC1__", ".html", "-", "a\n"]
PREFIXES = {
    "figid": "PMC1__", "figid_alias": "PMC1__", "redirect_from": "/figures/PMC1__",
    "figlink": "/pmc/articles/PMC1/figure/", "pmcid": "PMC", "number": "Figure ",
    "filename": "a", "doi": "10.1234/", "year": "1", "ndex": "0",
    "pmc_ranked_result_index": "1",
}  # fmt: skip


def test_every_shipped_pattern_on_a_megabyte_of_hostile_text_is_quick():
    """Each pattern field of a record holds ~700 KB of its worst characters
    (after the prefix the pattern wants); the schema check (the generated
    fast check, then jsonschema) answers for all of them in one run. Every
    shipped pattern is linear (measured: at most 0.02 s on 1 MB); a
    backtracking one would not end."""
    base = front_matter(SEED.read_text(encoding="utf-8"))
    linter = Linter(Settings(select=frozenset({"SC101"})))
    for unit in HOSTILE:
        data = copy.deepcopy(base)
        for key, prefix in PREFIXES.items():
            data[key] = prefix + unit * (60_000 // len(unit)) + "x"
        data["schema-jsonld"]["@id"] = "https://pfocr.wikipathways.org/figures/PMC1__" + unit * (
            60_000 // len(unit)
        )
        data["genes"] = [
            {"word": "A", "symbol": "A", "source": "hgnc_symbol", "hgnc_symbol": "A",
             "entrez": "1" + unit * (60_000 // len(unit))},
        ]  # fmt: skip
        result = linter.lint_text(record_text(data), f"{FIGID}.md")
        assert result.error is None, result.error
        assert any(f.code == "SC101" for f in result.findings)
        assert max(len(f.message) for f in result.findings) < 1_000


# -- 6. 50,000 per-file-ignores --------------------------------------------------------
def test_fifty_thousand_per_file_ignores_do_not_hang_a_run(tmp_path):
    """Every file tried every pattern, and fnmatch's cache of 32,768 compiled
    patterns thrashed: ~1.5 s per file. Settings.ignored_for now answers the same
    from a dictionary (literal paths) and one regex per code set."""
    (tmp_path / "_figures").mkdir()
    for i in range(100):
        (tmp_path / "_figures" / f"PMC{i}__f{i}.md").write_bytes(SEED.read_bytes())
    lines = ["[per-file-ignores]"]
    lines += [f'"_figures/PMC{i}__f{i}.md" = ["NA101"]' for i in range(0, 50_000, 2)]
    lines += [f'"*/PMC{i}__f{i}.*" = ["ID105", "NA101"]' for i in range(1, 50_000, 2)]
    (tmp_path / "pfocr-lint.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("--select", "NA101,ID105,NA103", "--output-format", "json", "-j", "1", ".",
              cwd=tmp_path, timeout=90)  # fmt: skip
    found = _json_findings(run)
    by_file: dict[str, set] = {}
    for f in found:
        by_file.setdefault(f["filename"], set()).add(f["code"])
    assert by_file["_figures/PMC0__f0.md"] == {"ID105"}  # NA101 ignored by the literal path
    assert "_figures/PMC1__f1.md" not in by_file  # both ignored by the wildcard
    assert len(by_file) == 50


def test_grouped_per_file_ignores_answer_as_pattern_by_pattern_does():
    import random

    from linter.engine.settings import _glob_match, _relative

    def slow(settings, filename):  # every pattern in turn, as before
        rel = _relative(filename, settings.root)
        out = set()
        for pattern, codes in settings.per_file_ignores:
            if _glob_match(rel, pattern):
                out |= codes
        return frozenset(out)

    rng = random.Random(5)
    patterns = ["*.md", "_figures/*", "x/**/y.md", "PMC1*", "a?c.md", "[ab]*.md", "*a*b*c*",
                "_figures/PMC1__f1.md", "PMC2__f2.md", "*", "*/*/*.md", "[!x]*", "a/b"]  # fmt: skip
    codes = [frozenset({"NA101"}), frozenset({"ID105", "NA101"}), frozenset({"SC101"})]
    names = ["_figures/PMC1__f1.md", "PMC2__f2.md", "x/z/y.md", "abc.md", "a/b", "b.md",
             "sub/PMC1.md", "q/r/s.md", "xaxbxc"]  # fmt: skip
    root = Path(__file__).parent
    for _ in range(500):
        pairs = [(rng.choice(patterns), rng.choice(codes)) for _ in range(rng.randint(0, 6))]
        fast = Settings(select=frozenset(), per_file_ignores=pairs, root=root)
        for name in names:
            assert fast.ignored_for(str(root / name)) == slow(fast, str(root / name))


# -- 7. configuration values of the wrong type are configuration errors ----------------
BAD_CONFIGS = [
    ('per-file-ignores = {"*" = 5}', "pfocr-lint.toml:2:", "per-file-ignores"),
    ("include = [1]", "pfocr-lint.toml:2:", "'include' must be a list of strings"),
    ("paths = [1]", "pfocr-lint.toml:2:", "'paths' must be a list of strings"),
    ("exclude = [{a = 1}]", "pfocr-lint.toml:2:", "'exclude' must be a list of strings"),
    ("extend-exclude = [true]", "pfocr-lint.toml:2:", "'extend-exclude'"),
    ("select = [1]", "pfocr-lint.toml:2:", "'select' must be a list of strings"),
    ("[severity]\nNA101 = 1", "pfocr-lint.toml:3:", "severity of NA101"),
    ('[per-file-ignores]\n"a.md" = [1]', "pfocr-lint.toml:3:", "'a.md'"),
    ("max-file-size = 0", "pfocr-lint.toml:2:", "'max-file-size' must be between"),
    ("max-file-size = 1000000000000", "pfocr-lint.toml:2:", "'max-file-size' must be between"),
    ('output-format = "xml"', "pfocr-lint.toml:2:", "'output-format' must be one of"),
    ('cache = "yes"', "pfocr-lint.toml:2:", "'cache' must be a boolean"),
    ('schema = "s.json"', "pfocr-lint.toml:2:", "is not JSON"),
    ('schema = "remote.json"', "pfocr-lint.toml:2:", "only references inside the schema"),
    ('schema = "slow.json"', "pfocr-lint.toml:2:", "repeats a repeat"),
    ('schema = "invalid.json"', "pfocr-lint.toml:2:", "is not a valid JSON Schema"),
    ('schema = "badre.json"', "pfocr-lint.toml:2:", "is not a regular expression"),
]


@pytest.mark.parametrize("body, where, words", BAD_CONFIGS, ids=[b for b, _, _ in BAD_CONFIGS])
def test_configuration_values_are_type_checked(tmp_path, body, where, words):
    (tmp_path / "pfocr-lint.toml").write_text("# line 1\n" + body + "\n", encoding="utf-8")
    (tmp_path / f"{FIGID}.md").write_bytes(SEED.read_bytes())
    (tmp_path / "s.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "remote.json").write_text(
        json.dumps({"properties": {"x": {"$ref": "https://example.org/x.json"}}}), encoding="utf-8"
    )
    (tmp_path / "slow.json").write_text(
        json.dumps({"properties": {"caption": {"pattern": "^(a+)+$"}}}), encoding="utf-8"
    )
    (tmp_path / "invalid.json").write_text(json.dumps({"type": 5}), encoding="utf-8")
    (tmp_path / "badre.json").write_text(json.dumps({"pattern": "("}), encoding="utf-8")
    run = cli(f"{FIGID}.md", cwd=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert "configuration error" in err and "internal error" not in err, err
    assert where in err and words in err, err
    assert "Traceback" not in err


def test_the_largest_max_file_size_allowed_works(tmp_path):
    # (os.read allocates the size it is asked for: a limit of 10**12 bytes was
    # a MemoryError on every file; reads past fstat's size go in 1 MiB chunks)
    (tmp_path / "pfocr-lint.toml").write_text(f"max-file-size = {256 * 1024 * 1024}\n")
    (tmp_path / f"{FIGID}.md").write_bytes(SEED.read_bytes())
    run = cli("--output-format", "json", f"{FIGID}.md", cwd=tmp_path)
    assert run.returncode == 1, run.stderr.decode()  # the largest limit allowed works


# -- 8. --changed-since with a file name that is not UTF-8 ---------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_changed_since_with_an_untracked_non_utf8_file_name(tmp_path):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
    root = tmp_path / "repo"
    (root / "_figures").mkdir(parents=True)
    record = root / "_figures" / f"{FIGID}.md"
    record.write_bytes(SEED.read_bytes())
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "r"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    try:
        odd = os.path.join(os.fsencode(root / "_figures"), b"caf\xe9-\xff.md")
        with open(odd, "wb") as fh:
            fh.write(SEED.read_bytes())
    except OSError:
        pytest.skip("the file system refuses a name that is not UTF-8")
    record.write_text(record.read_text(encoding="utf-8").replace("year: '2021'", "year: '2022'"))
    run = cli("--changed-since", "HEAD", "--output-format", "json", "--select", "ID105",
              "_figures", cwd=root)  # fmt: skip
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 1, err
    assert "internal error" not in err
    found = json.loads(run.stdout)
    names = sorted({f["filename"] for f in found})
    # the edited record and the untracked file (the seed's figlink lacks its
    # slash), the odd file named with its bytes escaped
    assert names[0] == f"_figures/{FIGID}.md" and len(names) == 2, names
    assert "caf" in names[1] and "\udce9" not in names[1], names


# -- 5. the PyYAML floor -----------------------------------------------------------------
def _floor(requirement: str) -> tuple[int, ...]:
    m = re.fullmatch(r"\s*PyYAML\s*>=\s*([0-9.]+)\s*(?:;.*)?", requirement, re.I)
    assert m, requirement
    return tuple(int(x) for x in m.group(1).split("."))


def test_installed_pyyaml_satisfies_the_floor_of_pyproject():
    """PyYAML 6.0.1-6.0.3 (libyaml 0.2.5) crash with SIGSEGV composing a
    caption of 100,000 nested brackets, which `report` does; 6.0.4 is the
    first whose libyaml stops at a nesting limit (a ScannerError)."""
    from importlib.metadata import version

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pyyaml = [d for d in deps["dependencies"] if d.lower().startswith("pyyaml")]
    assert len(pyyaml) == 1, pyyaml
    floor = _floor(pyyaml[0])
    assert floor >= (6, 0, 4)
    installed = tuple(int(x) for x in version("PyYAML").split(".")[:3] if x.isdigit())
    assert installed >= floor, f"PyYAML {version('PyYAML')} is below the floor {floor}"


def test_a_deeply_nested_caption_crashes_neither_the_reader_nor_the_report(tmp_path):
    """In a subprocess: a crash there fails this test instead of the run."""
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("caption:"), text.index("papertitle:")
    deep = text[:start] + "caption: " + "[" * 100_000 + "]" * 100_000 + "\n" + text[end:]
    (tmp_path / f"{FIGID}.md").write_text(deep, encoding="utf-8")
    probe = (
        "import yaml, sys\n"
        "from pathlib import Path\n"
        "from linter.reading.reader import read_file\n"
        f"issues = read_file(Path({str(tmp_path / (FIGID + '.md'))!r}), 'r.md').issues\n"
        "assert [i[0] for i in issues] == ['FM106'], issues\n"
        "try:\n"
        "    yaml.load(Path(sys.argv[1]).read_text()[4:], Loader=yaml.CSafeLoader)\n"
        "except yaml.YAMLError:\n"
        "    pass\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / f"{FIGID}.md")],
        capture_output=True, timeout=60, env=_env(),
    )  # fmt: skip
    assert run.returncode == 0 and run.stdout.strip() == b"ok", run.stderr.decode()
    report = subprocess.run(
        [sys.executable, "-m", "linter", "report", "--no-cache", "-o", "r.html", "."],
        cwd=tmp_path, capture_output=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert report.returncode in (0, 1), (report.returncode, report.stderr.decode()[-500:])
    assert (tmp_path / "r.html").is_file()


# -- 9. bench/rule_size.py ---------------------------------------------------------------
def test_rule_size_bench_times_every_record_rule():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "rule_size.py"), "--sizes", "300,3000",
         "--limit", "20"],
        capture_output=True, timeout=300, env=_env(),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode()
    rows = [ln.split()[0] for ln in run.stdout.decode().splitlines()[2:] if ln.strip()]
    record_rules = sorted(c for c, r in all_rules().items() if r.scope == "record")
    assert sorted(rows) == record_rules
