"""Record scoping (issue 18): on a tree shaped like the upstream Jekyll site
(tests/fixtures/site: records in _figures/, tables in _data/, front-matter
pages in _organisms/, _browse/, _posts/, about.md, assets, a built _site/),
only the records are linted; include / exclude globs with ruff's semantics;
.gitignore respected; paths named explicitly linted as ruff lints them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from conftest import run_cli as run

from linter.pipeline.check import Check, CheckOptions
from linter.pipeline.discovery import DEFAULT_INCLUDE, _Patterns, parse_gitignore, translate

pytestmark = pytest.mark.usefixtures("cli_env")

SITE = ROOT / "tests" / "fixtures" / "site"
REC = "_figures/PMC10003241__ijms-24-04893-g003.md"
NESTED = "_figures/2019/PMC100003__mb2410470011.md"
SCRATCH = "_figures/scratch/PMC100008__mb2411709009.md"  # .gitignore'd
DRAFT = "_drafts/PMC1__draft.md"  # .gitignore'd
BUILT = "_site/_figures/PMC100005__mb2410575011.md"  # excluded by default
PAGES = [
    "about.md",
    "index.md",
    "README.md",
    "_organisms/homo_sapiens.md",
    "_browse/genes.md",
    "_posts/2020-09-01-pfocr-release.md",
]


def site(tmp_path: Path, git: bool = True) -> Path:
    """A copy of the fixture site, its ``gitignore`` as ``.gitignore``, a git
    work tree when ``git``."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    (root / "gitignore").rename(root / ".gitignore")
    if git:
        (root / ".git").mkdir()  # what makes a work tree for git's rules (no git needed)
    return root


def linted(root: Path, *paths: str, config: str | None = None, **options) -> list[str]:
    if config is not None:
        (root / "pfocr-lint.toml").write_text(config, encoding="utf-8")
    run = Check(CheckOptions(paths=list(paths) or ["."], cwd=root, **options))
    return sorted(str(Path(p)) for p, _ in run.files)


def test_only_records_are_linted_in_a_jekyll_site(tmp_path, monkeypatch):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    assert linted(root) == sorted([REC, NESTED])
    assert linted(root, respect_gitignore=False) == sorted([REC, NESTED, SCRATCH, DRAFT])


def test_no_finding_on_a_page_and_every_record_checked(tmp_path, monkeypatch, capsys):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "--output-format", "json", ".")
    files = {f["filename"] for f in json.loads(out)}
    assert files and files <= {
        REC,
        NESTED,
        *(t.relative_to(root).as_posix() for t in (root / "_data").iterdir()),
    }, files
    assert not any(
        f.startswith(("_organisms", "_browse", "_posts", "about", "index")) for f in files
    )
    code, out, err = run(capsys, "--output-format", "concise", "--statistics", ".")
    assert "SC101" not in out  # the ~15 schema errors each page got


def test_gitignore_is_read_only_in_a_git_work_tree(tmp_path, monkeypatch):
    root = site(tmp_path, git=False)
    monkeypatch.chdir(root)
    assert linted(root) == sorted([REC, NESTED, SCRATCH, DRAFT])


def test_gitignore_negation_and_config_key(tmp_path, monkeypatch):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    (root / ".gitignore").write_text("_figures/**/PMC*.md\n!_figures/2019/\n!PMC100003*\n")
    assert linted(root) == sorted([DRAFT, NESTED])
    (root / "_figures" / ".gitignore").write_text("2019/\n")  # a deeper file wins
    assert linted(root) == [DRAFT]
    assert linted(root, config="respect-gitignore = false\n") == sorted(
        [REC, NESTED, SCRATCH, DRAFT]
    )


def test_include_and_exclude_have_ruffs_semantics(tmp_path, monkeypatch):
    root = site(tmp_path, git=False)
    monkeypatch.chdir(root)
    everything = sorted([REC, NESTED, SCRATCH, DRAFT])
    # exclude replaces the defaults: _site/ is walked again
    assert linted(root, config="exclude = []\n") == sorted([*everything, BUILT])
    # extend-exclude adds to them; a pattern with a / is relative to the root
    assert linted(root, config='extend-exclude = ["_figures/2019", "_drafts"]\n') == [REC, SCRATCH]
    assert linted(root, config='extend-exclude = ["scratch"]\n') == sorted([REC, NESTED, DRAFT])
    # include replaces the record scope; extend-include adds to it
    assert linted(root, config='include = ["_figures/*.md"]\n') == sorted([REC, NESTED, SCRATCH])
    pages = linted(root, config='extend-include = ["_posts/*.md", "about.md"]\n')
    assert pages == sorted([*everything, "about.md", "_posts/2020-09-01-pfocr-release.md"])
    # a pattern that matches nothing lints nothing; one that matches
    # everything lints every file (assets too), as ruff would, and never crashes
    assert linted(root, config='include = ["*.nothing"]\n') == []
    every = linted(root, config='include = ["*"]\n')
    assert "assets/img/logo.png" in every and "_config.yml" in every
    assert BUILT not in every  # still excluded


def test_a_path_named_explicitly_is_linted_unless_force_exclude(tmp_path, monkeypatch, capsys):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    named = ["about.md", BUILT, SCRATCH, REC]
    # as ruff: a path given is linted even when excluded or ignored (a page
    # with front matter named explicitly is linted as a record)
    assert linted(root, *named) == sorted(named)
    # --force-exclude: only what a folder walk would lint (include and exclude)
    assert linted(root, *named, force_exclude=True) == sorted([SCRATCH, REC])
    assert linted(root, *named, config="force-exclude = true\n") == sorted([SCRATCH, REC])
    # a Markdown file without front matter outside the scope is still no record
    assert linted(root, "README.md") == []
    code, out, err = run(capsys, "--force-exclude", "--output-format", "json", "about.md")
    assert (code, json.loads(out)) == (0, []), err


def test_the_scope_holds_from_inside_the_figures_folder(tmp_path, monkeypatch):
    root = site(tmp_path)
    monkeypatch.chdir(root / "_figures")
    assert linted(root / "_figures") == ["2019/PMC100003__mb2410470011.md", REC.split("/")[1]]


def test_a_folder_named_explicitly_is_walked_even_when_excluded(tmp_path, monkeypatch):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    assert linted(root, "_site") == [BUILT]
    assert linted(root, "_site", force_exclude=True) == []


def test_the_hooks_files_pattern_is_the_default_scope():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    files = re.compile(hooks["pfocr-lint"]["files"])
    assert hooks["pfocr-lint-collection"]["files"] == hooks["pfocr-lint"]["files"]
    assert "--force-exclude" in hooks["pfocr-lint"]["entry"]
    every = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file())
    scope = _Patterns(DEFAULT_INCLUDE)
    records = [
        p
        for p in every
        if p.endswith(".md") and scope(p.rsplit("/", 1)[-1], lambda _=False, p=p: "/site/" + p)
    ]
    tables = [p for p in every if re.fullmatch(r"_data/[^/]*\.tsv", p)]
    assert records and tables
    assert [p for p in every if files.search(p)] == sorted(records + tables)
    assert not any(files.search(p) for p in PAGES)


@pytest.mark.parametrize(
    "pattern, path, hit",
    [
        ("**/_figures/**/*.md", "_figures/a.md", True),
        ("**/_figures/**/*.md", "x/_figures/b/c.md", True),
        ("**/_figures/**/*.md", "figures/a.md", False),
        ("**/_figures/**/*.md", "_figures_old/a.md", False),
        ("_figures/**", "_figures/a/b", True),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("*.md", "a/b.md", True),  # fnmatch and ruff's globset: * crosses /
        ("[!a]*.md", "b.md", True),
        ("[!a]*.md", "a.md", False),
        ("[", "[", True),  # an unclosed class is a literal
    ],
)
def test_glob_translation(pattern, path, hit):
    assert bool(re.fullmatch(translate(pattern), path)) is hit


def test_gitignore_patterns_keep_to_a_folder():
    (rule,) = parse_gitignore("*.md\n", "/r")
    assert rule.match("a.md") and not rule.anchored
    (rule,) = parse_gitignore("docs/*.md\n", "/r")
    assert rule.anchored and rule.match("docs/a.md") and not rule.match("docs/x/a.md")
    assert parse_gitignore("# comment\n\n   \n", "/r") == [] or all(
        r.match("   ") for r in parse_gitignore("# comment\n\n   \n", "/r")
    )
    (rule,) = parse_gitignore("!keep/\n", "/r")
    assert rule.negate and rule.folders_only


def test_the_seeds_default_still_lints_the_seeds(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    run_ = Check(CheckOptions(cwd=ROOT))
    assert len(run_.files) == len(list((ROOT / "seeds").glob("*.md"))) == 4


@pytest.mark.parametrize(
    "rules",
    [
        None,  # the fixture's
        "_figures/**/PMC*.md\n!_figures/2019/\n!PMC100003*\n",
        "*.md\n!_figures/\n!*/\n!PMC*.md\n_drafts\n",
        "/_figures/*\n!/_figures/2019\n",
        "scratch\n2019/PMC*\n",
        "".join(f"x{i}*\n" for i in range(3000)) + "_figures/2019/\n!*.md\n_drafts/\n",
    ],
    ids=["fixture", "negations", "folders", "anchored", "names", "long"],
)
def test_git_agrees_with_the_gitignore_reader(tmp_path, monkeypatch, rules):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = site(tmp_path, git=False)
    if rules is not None:
        (root / ".gitignore").write_text(rules, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--others", "--exclude-standard", "--", "*.md"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    not_ignored = {p for p in listed.split("\0") if p}
    ours = set(linted(root))
    scope = {p for p in not_ignored if p.startswith("_figures/") or "__" in p}
    assert ours == {p for p in scope if not p.startswith("_site/")}


def test_gitignore_never_hides_a_tracked_record(tmp_path, monkeypatch):
    """As git has it: a pull request that commits a record and a .gitignore
    line matching it (``git add -f``) does not take the record out of the lint."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = site(tmp_path, git=False)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "add", "-f", SCRATCH], cwd=root, check=True)  # in an ignored folder
    (root / ".gitignore").write_text(
        (root / ".gitignore").read_text("utf-8") + f"{REC}\n", encoding="utf-8"
    )
    subprocess.run([*git, "add", "-f", REC], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=root, check=True)
    monkeypatch.chdir(root)
    assert linted(root) == sorted([REC, NESTED, SCRATCH])  # _drafts/: untracked, ignored


def test_a_glob_that_is_no_pattern_is_a_configuration_error(tmp_path, monkeypatch, capsys):
    root = site(tmp_path)
    monkeypatch.chdir(root)
    (root / "pfocr-lint.toml").write_text('select = ["NA"]\nextend-exclude = ["[z-a]"]\n')
    code, out, err = run(capsys, ".")
    assert code == 2 and "Traceback" not in err
    assert "pfocr-lint.toml:2: 'extend-exclude': '[z-a]' is not a glob pattern" in err


@pytest.mark.parametrize("separator", [False, True])
def test_atomic_globs_match_what_backtracking_ones_do(separator):
    """The atomic form (no catastrophic backtracking) accepts exactly what
    the plain backtracking form of the same glob accepts."""
    import random

    rng = random.Random(18)
    tokens = ["a", "b", "*", "?", "/", "**/", "[ab]", "[!a]"]
    for _ in range(3000):
        pattern = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 7)))
        text = "".join(rng.choice("ab/") for _ in range(rng.randint(0, 9)))
        fast = re.fullmatch(translate(pattern, separator), text, re.S)
        slow = re.fullmatch(translate(pattern, separator, atomic=False), text, re.S)
        assert bool(fast) is bool(slow), (pattern, text)


def test_a_hostile_gitignore_pattern_cannot_stall_the_walk():
    import time

    (rule,) = parse_gitignore("*a" * 16 + "*b\n", "/r")
    started = time.perf_counter()
    assert not rule.match("a" * 250)
    assert time.perf_counter() - started < 1.0


def test_a_long_gitignore_stays_cheap(tmp_path, monkeypatch):
    import time

    root = site(tmp_path)
    monkeypatch.chdir(root)
    lines = "".join(f"*.x{i}\n" for i in range(30000)) + "_figures/scratch/\n"
    (root / ".gitignore").write_text(lines, encoding="utf-8")
    started = time.perf_counter()
    assert linted(root) == sorted([REC, NESTED, DRAFT])
    assert time.perf_counter() - started < 5.0


def test_the_editor_server_takes_the_same_records(tmp_path, monkeypatch):
    """A page opened in the editor is no record either: the server asks the
    configured scope, as a folder walk does."""
    from linter.server.documents import Project

    root = site(tmp_path)
    monkeypatch.chdir(root)
    project = Project(str(root))
    for page in PAGES:
        assert not project.is_record(str(root / page)), page
    for record in (REC, NESTED, SCRATCH, BUILT):  # .gitignore aside; _site/ excluded
        assert project.is_record(str(root / record)) is (record != BUILT), record
    (root / "pfocr-lint.toml").write_text('extend-include = ["_posts/*.md"]\n')
    assert project.is_record(str(root / "_posts/2020-09-01-pfocr-release.md"))


@pytest.mark.parametrize(
    "patterns",
    [
        DEFAULT_INCLUDE,
        ["*.md"],
        ["_figures/*.md", "PMC*__*.md"],
        ["**/_figures/**/*.md"],
        ["/site/_figures/PMC1*", "notes.txt", "**/x/*.tsv"],
        [],
    ],
)
def test_patterns_over_a_folders_names_answer_as_name_by_name(patterns, tmp_path):
    """Discovery matches a folder's names at once (``_Patterns.among``): the
    same names as calling the patterns on each, for name patterns, patterns
    relative to the root and patterns anywhere (``**``), in and out of scope."""
    from linter.pipeline.discovery import _relative

    root = str(tmp_path)
    names = ["PMC1__a.md", "PMC2__b.md", "notes.txt", "README.md", "PMC3__c.tsv", "x.md", ".md"]
    match = _Patterns(patterns)
    for folder in (
        root,
        f"{root}/site/_figures",
        f"{root}/site/_figures/2019",
        f"{root}/x",
        "/else",
    ):
        one_by_one = {n for n in names if match(n, _relative(folder, n, root))}
        assert match.among(names, folder, root) == one_by_one, folder
        assert match.among(set(names), folder, root) == one_by_one
