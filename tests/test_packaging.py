"""Release packaging without building: the package data declared in
pyproject.toml covers every file the linter reads at run time, and
tools/check_dist.py (run by .ci/run on real builds) notices what a broken
wheel or sdist lacks."""

from __future__ import annotations

import fnmatch
import io
import tarfile
import zipfile

from conftest import ROOT, load_tool

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


check_dist = load_tool("check_dist")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _covered(package: str, rel: str) -> bool:
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"].get(package, [])
    return any(fnmatch.fnmatch(rel, p) for p in patterns)


def test_every_data_file_the_linter_reads_is_package_data():
    """A reference table of a new extension (`.txt`) would be left out of the
    wheel silently: every non-Python file in those packages is declared."""
    folders = {
        "linter.refdata": ROOT / "linter" / "refdata",
        "linter.schema": ROOT / "schema",
        "linter.reporters.html": ROOT / "linter" / "reporters" / "html",
    }
    for package, folder in folders.items():
        for path in folder.rglob("*"):
            if (
                path.is_file()
                and path.suffix not in (".py", ".pyc")
                and "__pycache__" not in path.parts
            ):
                rel = path.relative_to(folder).as_posix()
                assert _covered(package, rel), f"{package}: {rel} is not package data"
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["linter.schema"] == "schema"


def test_every_package_is_listed():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "linter").rglob("__init__.py")
    }
    assert found <= listed, found - listed


def _wheel(names) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    buf.seek(0)
    return buf


def test_check_dist_names_what_a_wheel_lacks(tmp_path):
    sources = check_dist.refdata_sources()
    full = [
        "linter/schema/pfocr-figure.schema.json",
        "linter/refdata/SOURCES.json",
        "linter/reporters/html/templates/report.html.j2",
        "linter/cli/main.py",
        *(f"linter/refdata/{n}" for n in sources["snapshots"]),
    ]
    good = tmp_path / "good.whl"
    good.write_bytes(_wheel(full).read())
    assert check_dist.wheel_problems(good) == []
    lacking = next(iter(sources["snapshots"]))
    bad = tmp_path / "bad.whl"
    bad.write_bytes(_wheel([n for n in full if not n.endswith(lacking)] + ["tests/x.py"]).read())
    assert check_dist.wheel_problems(bad) == [
        f"wheel lacks linter/refdata/{lacking}",
        "wheel carries tests, seeds or bench files",
    ]


def test_check_dist_names_what_an_sdist_lacks(tmp_path):
    sdist = tmp_path / "pfocr_lint-9.9.9.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        for name in ("pyproject.toml", "README.md", "linter/__init__.py"):
            info = tarfile.TarInfo(f"pfocr_lint-9.9.9/{name}")
            tar.addfile(info, io.BytesIO(b""))
    problems = check_dist.sdist_problems(sdist, "9.9.9")
    assert "sdist lacks CHANGELOG.md" in problems
    assert "sdist lacks schema/pfocr-figure.schema.json" in problems
    assert any(p.startswith("sdist lacks seeds/PMC") for p in problems)
    assert "sdist lacks pyproject.toml" not in problems
    assert check_dist.sdist_problems(sdist, "1.0.0")[-1].endswith("is not version 1.0.0")


def test_the_declared_version_is_read_as_text():
    from linter import __version__

    assert check_dist.declared_version() == __version__
