"""The command line: paths and defaults, exit codes, internal errors, the
finding shape, ``rule`` / ``rules`` / ``--version``, and the rule catalogue
against RULES.md (the team's catalogue, copied into tests/fixtures/)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, RULES_MD, SEEDS, SHARED
from conftest import run_cli as run

import linter.engine.filelint
from linter import __version__
from linter.rules.registry import all_rules

CLEAN = SEEDS / "PMC6457213__advances029850f7.md"
BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101
CONCISE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3})(?: \[\*\])? \S"
)


pytestmark = pytest.mark.usefixtures("cli_env")


def cli(*args, cwd, env=None):
    """The real thing, in a subprocess."""
    import os

    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes())
    return dest


# -- version, help ---------------------------------------------------------------------
def test_version(tmp_path):
    r = cli("--version", cwd=tmp_path)
    assert r.returncode == 0
    assert r.stdout.strip() == f"pfocr-lint {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


def test_help(tmp_path):
    r = cli("check", "--help", cwd=tmp_path)
    assert r.returncode == 0
    for flag in ("--select", "--ignore", "--config", "--exit-zero", "--no-color", "--quiet"):
        assert flag in r.stdout


# -- paths -----------------------------------------------------------------------------
def test_files_and_directories_recursively(capsys, tmp_path):
    copy(BAD, tmp_path / "recs" / "a" / "b" / BAD.name)
    copy(CLEAN, tmp_path / "recs" / CLEAN.name)
    copy(BAD, tmp_path / "recs" / "a" / "not-markdown.txt")  # not *.md: ignored
    rc, out, err = run(capsys, "--output-format", "concise", "--select", "ID105", "recs")
    assert (rc, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"recs/a/b/{BAD.name}:14:10: ID105 [*] figlink 'pmc/articles/PMC7773330/figure/F1/': "
        "no leading slash; expected '/pmc/articles/PMC7773330/figure/F1/'"
    )
    assert "Found 1 finding in 2 files" in out
    # a file and a directory together, the file named twice: linted once
    rc, out, err = run(
        capsys, "--select", "ID105", "--output-format", "concise", "-q",
        f"recs/a/b/{BAD.name}", "recs", f"recs/a/b/{BAD.name}",
    )  # fmt: skip
    assert rc == 1
    assert len(out.splitlines()) == 1


def test_no_path_lints_seeds_when_present(capsys, tmp_path):
    for p in SEEDS.glob("*.md"):
        copy(p, tmp_path / "seeds" / p.name)
    copy(BAD, tmp_path / "elsewhere" / BAD.name)  # not linted: seeds/ wins over .
    rc, out, err = run(capsys, "--select", "ID105", "--output-format", "concise")
    assert rc == 1
    assert out.startswith(f"seeds/{BAD.name}:14:10: ID105")
    assert "in 4 files" in out


def test_no_path_lints_the_working_directory(capsys, tmp_path):
    copy(BAD, tmp_path / "deep" / "er" / BAD.name)
    rc, out, err = run(capsys, "--select", "ID105", "--output-format", "concise")
    assert rc == 1
    assert f"deep/er/{BAD.name}:14:10: ID105" in out
    assert "in 1 file" in out


def test_no_path_lints_the_configured_paths(capsys, tmp_path):
    copy(BAD, tmp_path / "one" / BAD.name)
    copy(BAD, tmp_path / "two" / BAD.name)
    copy(BAD, tmp_path / "seeds" / BAD.name)
    (tmp_path / "pyproject.toml").write_text('[tool.pfocr-lint]\npaths = ["one"]\n')
    rc, out, err = run(capsys, "--select", "ID105", "--output-format", "concise", "-q")
    assert rc == 1
    assert len(out.splitlines()) == 1
    assert f"one/{BAD.name}:14:10: ID105" in out


def test_python_dash_m_and_the_script_agree(tmp_path):
    copy(BAD, tmp_path / BAD.name)
    r = cli("check", "--no-cache", "--select", "ID105", BAD.name, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.startswith(f"{BAD.name}:14:10: ID105")  # concise: not a terminal
    # the console script of the environment under test (beside its interpreter),
    # not whatever `pfocr-lint` comes first on PATH (another environment's)
    script = shutil.which("pfocr-lint", path=str(Path(sys.executable).parent))
    if script:
        r2 = subprocess.run(
            [script, "check", "--no-cache", "--select", "ID105", BAD.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert (r2.returncode, r2.stdout) == (r.returncode, r.stdout)


# -- exit codes ------------------------------------------------------------------------
def test_exit_0_clean(capsys, tmp_path):
    copy(CLEAN, tmp_path / CLEAN.name)
    rc, out, err = run(capsys, CLEAN.name)
    assert (rc, err) == (0, "")
    assert out == "All checks passed! (1 file linted)\n"


def test_exit_1_findings_and_exit_zero(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    assert run(capsys, BAD.name)[0] == 1
    rc, out, err = run(capsys, "--exit-zero", BAD.name)
    assert rc == 0
    assert "ID105" in out  # still reported


def test_failing_severity(capsys, tmp_path):
    p = copy(CLEAN, tmp_path / CLEAN.name)
    text = p.read_text(encoding="utf-8")
    # an info finding only (an unused suppression): below the default (warning)
    p.write_text(text.replace("figtype: Figure", "figtype: Figure  # pfocr-lint: disable=NA101"))
    rc, out, err = run(capsys, "--output-format", "concise", p.name)
    assert "FM199" in out
    assert rc == 0
    assert run(capsys, "--fail-on", "info", p.name)[0] == 1
    # a warning fails by default, not with --fail-on error
    p.write_text(text.replace("figtype: Figure", "figtype: Supplementary"))
    rc, out, err = run(capsys, "--output-format", "concise", "--select", "ID109", p.name)
    assert "ID109" in out and rc == 1
    assert run(capsys, "--select", "ID109", "--fail-on", "error", p.name)[0] == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--output-format", "bogus"], "bogus"),
        (["--fail-on", "fatal"], "fatal"),
        (["--jobs", "many"], "many"),
        (["--no-such-flag"], "--no-such-flag"),
        (["missing.md"], "missing.md"),
        (["--select", "QQ123", "."], "QQ123"),
    ],
)
def test_exit_2_usage_errors(capsys, tmp_path, args, words):
    rc, out, err = run(capsys, *args)
    assert rc == 2
    assert words in err
    assert "Traceback" not in err


def test_exit_2_usage_error_in_a_subprocess(tmp_path):
    r = cli("check", "--output-format", "bogus", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("pfocr-lint: error:") and "Traceback" not in r.stderr


def _boom_for(figid: str):
    original = all_rules()["NA101"].func

    def boom(rec, ctx):
        if rec.data.get("figid") == figid:
            raise RuntimeError("kaboom")
        yield from original(rec, ctx)

    return boom


def test_internal_error_in_a_rule_names_the_file(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(all_rules()["NA101"], "func", _boom_for("PMC6457213__advances029850f7"))
    copy(CLEAN, tmp_path / "recs" / CLEAN.name)
    copy(BAD, tmp_path / "recs" / BAD.name)
    rc, out, err = run(capsys, "--output-format", "concise", "recs")
    assert rc == 2
    assert f"recs/{CLEAN.name}" in err
    assert "NA101" in err and "kaboom" in err
    assert "Traceback" not in err + out
    # the other file is still linted and reported
    assert f"recs/{BAD.name}:30:6: NA101" in out
    assert "All checks passed" not in out


def test_internal_error_with_debug_shows_the_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(all_rules()["NA101"], "func", _boom_for("PMC6457213__advances029850f7"))
    copy(CLEAN, tmp_path / CLEAN.name)
    rc, out, err = run(capsys, "--debug", CLEAN.name)
    assert rc == 2
    assert CLEAN.name in err
    assert "Traceback (most recent call last)" in err
    assert 'raise RuntimeError("kaboom")' in err


def test_internal_error_while_reading_names_the_file(capsys, monkeypatch, tmp_path):
    real = linter.engine.filelint.read_file

    def broken(path, filename, *args, **kwargs):
        if Path(path).name == CLEAN.name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, filename, *args, **kwargs)

    monkeypatch.setattr(linter.engine.filelint, "read_file", broken)
    copy(CLEAN, tmp_path / "recs" / CLEAN.name)
    copy(BAD, tmp_path / "recs" / BAD.name)
    rc, out, err = run(capsys, "--output-format", "concise", "recs")
    assert rc == 2
    assert f"recs/{CLEAN.name}" in err and "Traceback" not in err
    assert f"recs/{BAD.name}:30:6: NA101" in out  # the run goes on


# -- the finding shape ---------------------------------------------------------------------
def test_every_finding_has_every_field(capsys, tmp_path):
    for p in SEEDS.glob("*.md"):
        copy(p, tmp_path / "seeds" / p.name)
    (tmp_path / "seeds" / "PMC1__dup.md").write_text("---\nfigid: a\nfigid: b\n---\n")
    rc, out, err = run(capsys, "--output-format", "json")
    assert rc == 1
    found = json.loads(out)
    assert len(found) >= 8
    codes = {c: r for c, r in all_rules().items()}
    for f in found:
        assert set(f) >= {
            "code", "name", "severity", "message", "filename", "location",
            "end_location", "path", "fix", "url",
        }  # fmt: skip
        assert f["code"] in codes and f["name"] == codes[f["code"]].name
        assert f["severity"] in ("error", "warning", "info")
        assert f["message"] and "\n" not in f["message"]
        assert Path(f["filename"]).is_file()
        start, end = f["location"], f["end_location"]
        assert start["row"] >= 1 and start["column"] >= 1
        assert (end["row"], end["column"]) >= (start["row"], start["column"])
        assert f["path"] == "" or f["path"].startswith("/")
    by_path = {f["path"]: f for f in found if f["code"] == "NA101"}
    assert by_path["/doi"]["location"] == {"row": 30, "column": 6}
    assert by_path["/doi"]["end_location"] == {"row": 30, "column": 19}
    org = [f for f in found if f["code"] == "NA102"]
    assert [f["path"] for f in org] == ["/organisms/0"]
    assert org[0]["location"] == {"row": 5, "column": 3}


# -- rule, rules -----------------------------------------------------------------------------
def test_rule_explains(capsys):
    rc, out, err = run(capsys, "rule", "NA101", check=False)
    assert rc == 0
    for words in (
        "NA101 (na-character)",
        "Severity: error",
        "What it checks:",
        "Why it matters:",
        "Example that fails:",
        "Example that passes:",
        "safe fix",
        "doi: .na.character",
    ):
        assert words in out
    rc, out2, err = run(capsys, "rule", "na101", check=False)  # any case
    assert (rc, out2) == (0, out)


def test_rule_json(capsys):
    rc, out, err = run(capsys, "rule", "FM105", "--output-format", "json", check=False)
    assert rc == 0
    info = json.loads(out)
    assert info["code"] == "FM105" and info["name"] == "encoding"
    assert info["severity"] == "error" and info["fix"] == "safe"
    assert info["what"] and info["why"] and info["fails"] and info["passes"]


def test_rule_unknown(capsys):
    rc, out, err = run(capsys, "rule", "ZZ999", check=False)
    assert rc == 2
    assert "ZZ999" in err


def test_rules_table_and_json(capsys):
    rc, out, err = run(capsys, "rules", check=False)
    assert rc == 0
    rules = all_rules()
    for code, r in rules.items():
        assert re.search(rf"\b{code}\b.*\b{re.escape(r.name)}\b", out), code
    rc, out, err = run(capsys, "rules", "--output-format", "json", check=False)
    listed = json.loads(out)
    assert [r["code"] for r in listed] == list(rules)
    for item in listed:
        assert item["fix"] in ("none", "safe", "unsafe", "safe/unsafe")
        assert item["severity"] == rules[item["code"]].severity


def test_every_rule_is_documented():
    bad = {}
    for code, r in all_rules().items():
        sec = r.sections()
        missing = [k for k in ("what", "why", "fails", "passes") if not sec.get(k)]
        if r.fix != "none" and not sec.get("fix"):
            missing.append("fix")
        if not r.title or r.title == r.name:
            missing.append("title")
        if missing:
            bad[code] = missing
    assert not bad, f"rules whose docstring lacks sections: {bad}"


# codes the project adds beyond the shared catalogue (documented in the project)
EXTRA = {
    "FM107",
    "FM198",
    "GN109",
    "GN114",
    "MD114",
    "CH105",
    "KW104",
    "KW105",
    "GN113",
    "MD112",
    "MD113",
}  # + issue 15 content rules


def test_rules_md_lists_exactly_the_implemented_codes():
    text = RULES_MD.read_text(encoding="utf-8")
    tables = set(re.findall(r"^\|\s*([A-Z]{2}\d{3})\s*\|", text, re.M))
    mentioned = set(re.findall(r"\b([A-Z]{2}\d{3})\b", text))
    assert len(tables) > 40
    implemented = set(all_rules())
    assert sorted(tables - implemented) == [], "RULES.md codes not implemented"
    assert sorted(implemented - mentioned - EXTRA) == [], "implemented codes not in RULES.md"
    # and the names agree with the catalogue
    names = dict(re.findall(r"^\|\s*([A-Z]{2}\d{3})\s*\|\s*([a-z0-9-]+)\s*\|", text, re.M))
    wrong = {
        c: (r.name, names[c]) for c, r in all_rules().items() if c in names and r.name != names[c]
    }
    assert not wrong


# -- the seeds ---------------------------------------------------------------------------
# SHA-256 of the four upstream seed records (../shared/seeds/*.txt), so a clone
# without ../shared still checks that seeds/ holds them unchanged.
SEED_SHA256 = {
    "PMC11745090__cbm-21-1156-g007.md": "7ba49db2551cf141d881530057dfbff17f308d3696e7d00e127687a8a94dcc92",
    "PMC6457213__advances029850f7.md": "fc3b640cc7104623728a790064c652eca4475d6c9d553d67c725e6c3d32a1a65",
    "PMC6566596__ijms-20-02505-g004.md": "4050ab4fb7fdea154a22379cae60a9dc1d49b86302f63b2570083ac02016632f",
    "PMC7773330__hs9-5-e516-g001.md": "e009a4cfaa19f914666d547626cad2a3abc9d39e49d24e64b1bc7d2a70d22e35",
}


def test_seeds_are_the_upstream_records_by_digest():
    actual = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.iterdir()}
    assert actual == SEED_SHA256


def test_seeds_are_the_shared_seeds_byte_for_byte():
    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip(
            "../shared/seeds is not beside this checkout (the digest test covers the seeds)"
        )
    expected = {}
    for txt in sorted(shared.glob("*.txt")):
        raw = txt.read_bytes()
        m = re.search(rb"^figid: (\S+)$", raw, re.M)
        assert m, txt
        expected[m.group(1).decode() + ".md"] = raw
    assert len(expected) == 4
    actual = {p.name: p.read_bytes() for p in (ROOT / "seeds").iterdir()}
    assert sorted(actual) == sorted(expected)
    for name, raw in expected.items():
        assert actual[name] == raw, name
    assert {n: hashlib.sha256(raw).hexdigest() for n, raw in expected.items()} == SEED_SHA256
