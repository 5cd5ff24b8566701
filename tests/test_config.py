"""Configuration: ``[tool.pfocr-lint]`` in pyproject.toml or a pfocr-lint.toml,
command-line overrides, and configuration errors (exit 2, naming the culprit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

from linter.pipeline.config import ConfigError, build_settings, find_config, load_config

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101
NA = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # NA102


pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def recs(tmp_path):
    """recs/<BAD>, recs/sub/<BAD>, recs/<NA>."""
    for dest in (tmp_path / "recs" / BAD.name, tmp_path / "recs" / "sub" / BAD.name):
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(BAD.read_bytes())
    (tmp_path / "recs" / NA.name).write_bytes(NA.read_bytes())
    return tmp_path / "recs"


def found(capsys, *args):
    code, out, err = run(capsys, "--output-format", "json", *args)
    assert err == "", err
    return code, [(f["filename"], f["code"], f["severity"]) for f in json.loads(out)]


def codes(items) -> list[str]:
    return sorted({c for _, c, _ in items})


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- where the configuration comes from ------------------------------------------------------
def test_pyproject_table(capsys, tmp_path, recs):
    write(tmp_path / "pyproject.toml", '[tool.pfocr-lint]\nselect = ["ID105"]\n')
    rc, items = found(capsys, "recs")
    assert rc == 1
    assert codes(items) == ["ID105"]


def test_pfocr_lint_toml(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA102"]\n')
    rc, items = found(capsys, "recs")
    assert codes(items) == ["NA102"]


def test_pyproject_without_our_table_is_skipped_in_the_search(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA102"]\n')
    write(tmp_path / "recs" / "pyproject.toml", "[tool.other]\nx = 1\n")
    (tmp_path / "recs").joinpath("x").mkdir()
    assert find_config(tmp_path / "recs" / "x") == tmp_path / "pfocr-lint.toml"


def test_nearest_configuration_wins(capsys, tmp_path, recs, monkeypatch):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA102"]\n')
    write(tmp_path / "recs" / "pyproject.toml", '[tool.pfocr-lint]\nselect = ["ID105"]\n')
    monkeypatch.chdir(tmp_path / "recs")
    rc, items = found(capsys, ".")
    assert codes(items) == ["ID105"]


def test_explicit_config(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA102"]\n')
    write(tmp_path / "conf" / "mine.toml", 'select = ["ID105"]\n')
    rc, items = found(capsys, "--config", "conf/mine.toml", "recs")
    assert codes(items) == ["ID105"]
    write(tmp_path / "conf" / "pyproject.toml", '[tool.pfocr-lint]\nselect = ["NA101"]\n')
    rc, items = found(capsys, "--config", "conf/pyproject.toml", "recs")
    assert codes(items) == ["NA101"]


def test_relative_globs_are_relative_to_the_configuration(capsys, tmp_path, recs, monkeypatch):
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["ID105", "NA101"]\nper-file-ignores = { "recs/sub/*" = ["NA101"] }\n',
    )
    monkeypatch.chdir(tmp_path / "recs")  # the configuration is found upward
    rc, items = found(capsys, ".")
    sub = [c for f, c, _ in items if Path(f).parent.name == "sub"]
    top = [c for f, c, _ in items if Path(f).parent.name != "sub"]
    assert sorted(set(sub)) == ["ID105"]
    assert sorted(set(top)) == ["ID105", "NA101"]


# -- what it says --------------------------------------------------------------------------
def test_select_ignore_extend_select(capsys, tmp_path, recs):
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["NA"]\nignore = ["NA101"]\nextend-select = ["ID105"]\n',
    )
    rc, items = found(capsys, "recs")
    assert codes(items) == ["ID105", "NA102"]


def test_prefix_and_family_selectors(capsys, tmp_path, recs):
    rc, items = found(capsys, "--select", "NA10", "--ignore", "NA1", "recs")
    assert (rc, items) == (0, [])
    rc, items = found(capsys, "--select", "id,na101", "recs")  # any case, comma list
    assert codes(items) == ["ID105", "NA101"]


def test_cli_select_replaces_and_cli_ignore_removes(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA101"]\n')
    rc, items = found(capsys, "--select", "NA102", "recs")
    assert codes(items) == ["NA102"]
    rc, items = found(capsys, "--extend-select", "NA102", "recs")
    assert codes(items) == ["NA101", "NA102"]
    rc, items = found(capsys, "--ignore", "NA101", "recs")
    assert (rc, items) == (0, [])


def test_per_file_ignores(capsys, tmp_path, recs):
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["NA", "ID105"]\n'
        "[per-file-ignores]\n"
        '"recs/sub/*" = ["NA101"]\n'
        '"PMC11745090__*.md" = "NA102"\n',  # a bare glob matches the name anywhere
    )
    rc, items = found(capsys, "recs")
    by_file: dict[str, set] = {}
    for f, c, _ in items:
        by_file.setdefault(Path(f).relative_to("recs").as_posix(), set()).add(c)
    assert by_file == {BAD.name: {"ID105", "NA101"}, f"sub/{BAD.name}": {"ID105"}}


def test_severity_overrides_and_fail_on(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["ID105"]\nseverity = { ID105 = "info" }\n')
    rc, items = found(capsys, "recs")
    assert items and {s for _, _, s in items} == {"info"}
    assert rc == 0  # info is below the default failing severity
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["ID105"]\nseverity = { ID105 = "info" }\nfail-on = "info"\n',
    )
    assert found(capsys, "recs")[0] == 1
    assert found(capsys, "--fail-on", "error", "recs")[0] == 0  # the command line wins


def test_severity_override_of_an_error_to_warning(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA101"]\nseverity = { NA101 = "warning" }\n')
    rc, items = found(capsys, "recs")
    assert {s for _, _, s in items} == {"warning"}
    assert rc == 1
    assert found(capsys, "--fail-on", "error", "recs")[0] == 0


def test_include_and_exclude(capsys, tmp_path, recs):
    (recs / "other.markdown").write_bytes(BAD.read_bytes())
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["ID105"]\ninclude = ["*.md", "*.markdown"]\nexclude = ["sub"]\n',
    )
    rc, items = found(capsys, "recs")
    files = sorted(Path(f).relative_to("recs").as_posix() for f, _, _ in items)
    assert files == [BAD.name, "other.markdown"]
    write(
        tmp_path / "pfocr-lint.toml",
        'select = ["ID105"]\nextend-exclude = ["PMC7773330__*"]\n',
    )
    assert found(capsys, "recs") == (0, [])


def test_output_format_from_the_configuration(capsys, tmp_path, recs):
    write(tmp_path / "pfocr-lint.toml", 'select = ["ID105"]\noutput-format = "github"\n')
    rc, out, err = run(capsys, "recs")
    assert out.startswith("::error file=recs/")
    rc, out, err = run(capsys, "--output-format", "concise", "recs")
    assert out.startswith("recs/")


# -- configuration errors: exit 2, naming the culprit --------------------------------------------
@pytest.mark.parametrize(
    "text, words",
    [
        ("bogus-key = 1\n", ["'bogus-key'", "unknown configuration key"]),
        ('select = ["NA101", "XX999"]\n', ["'XX999'", "unknown rule code"]),
        ('ignore = ["QQ"]\n', ["'QQ'"]),
        ('extend-select = ["ZZ1"]\n', ["'ZZ1'"]),
        ('per-file-ignores = { "*.md" = ["NOPE1"] }\n', ["'NOPE1'"]),
        ('severity = { XY123 = "info" }\n', ["'XY123'"]),
        ('severity = { NA101 = "fatal" }\n', ["'fatal'"]),
        ('fail-on = "never"\n', ["'never'"]),
        ('select = "NA101"\n', ["'select'", "list"]),
        ("max-file-size = true\n", ["'max-file-size'", "integer"]),
        ("select = [\n", ["invalid TOML"]),
    ],
)
def test_configuration_errors(capsys, tmp_path, recs, text, words):
    write(tmp_path / "pfocr-lint.toml", text)
    rc, out, err = run(capsys, "recs")
    assert rc == 2
    assert "pfocr-lint.toml" in err
    for w in words:
        assert w in err
    assert "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_unknown_codes_on_the_command_line(capsys, tmp_path, recs, flag):
    rc, out, err = run(capsys, flag, "NA101,XX999", "recs")
    assert rc == 2
    assert "XX999" in err and flag in err


def test_explicit_config_errors(capsys, tmp_path, recs):
    rc, out, err = run(capsys, "--config", "nowhere.toml", "recs")
    assert rc == 2 and "nowhere.toml" in err
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 1\n")
    rc, out, err = run(capsys, "--config", "pyproject.toml", "recs")
    assert rc == 2 and "[tool.pfocr-lint]" in err


def test_build_settings_api(tmp_path):
    write(tmp_path / "pfocr-lint.toml", 'select = ["NA"]\nignore = ["NA104"]\n')
    settings = build_settings(load_config(None, tmp_path))
    assert settings.select == {"NA101", "NA102", "NA103"}
    assert settings.fail_on == "warning"
    write(tmp_path / "pfocr-lint.toml", 'select = ["NOPE"]\n')
    with pytest.raises(ConfigError, match="NOPE"):
        build_settings(load_config(None, tmp_path))


def test_cache_with_a_bad_sidecar_pattern_reports_fm107_not_an_internal_error(capsys, tmp_path):
    figures = tmp_path / "_figures"
    figures.mkdir()
    (figures / "PMC1__f1.md").write_text("---\nfigid: PMC1__f1\n---\n", encoding="utf-8")
    (tmp_path / "pfocr-lint.toml").write_text('sidecar-pattern = "{foo}.tsv"\n', encoding="utf-8")
    for _ in range(2):  # cold, then answered from the cache
        code, out, err = run(
            capsys,
            "check",
            "_figures",
            "--select",
            "FM107",
            "--output-format",
            "concise",
            check=False,
        )
        assert code == 1, err
        assert "FM107 sidecar-pattern '{foo}.tsv' is invalid" in out
        assert "internal error" not in err
    assert (tmp_path / ".pfocr-lint-cache").is_dir()
