"""The documentation: the generated rule pages (tools/gen_docs.py, called by
the site's build hook), the links from JSON and SARIF output to them
(`docs-url`), the README's shape, and the single declared version.

`mkdocs build --strict` itself runs in .ci/run (mkdocs is in the `docs`
extra); these tests need only the checkout."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT, SEEDS, load_tool

from linter import __version__
from linter.base.links import DOCS_URL, rule_url
from linter.rules.registry import all_rules

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 and NA101 findings


gen_docs = load_tool("gen_docs")


def test_every_rule_is_documented():
    """Each docstring has a title, What, Why, Fails and Passes (and Fix when
    the rule has one): `python tools/gen_docs.py --check`."""
    assert gen_docs.problems() == []
    assert gen_docs.main(["--check"]) == 0


def test_the_check_names_a_rule_without_its_sections(monkeypatch):
    from linter.rules.registry import Rule

    bare = Rule(code="ZZ999", name="bare", severity="warning", fix="safe", func=None, doc="Title.")
    monkeypatch.setattr(gen_docs, "rules", lambda: {"ZZ999": bare})
    (problem,) = gen_docs.problems()
    assert problem == "ZZ999: the docstring lacks what, why, fails, passes, fix"


def test_every_registered_rule_gets_a_page_an_index_line_and_a_nav_entry():
    """Generated from the registry at build time: a rule added anywhere
    appears without a hand edit."""
    rules = all_rules()
    pages = gen_docs.generated_pages()
    assert set(pages) == {"rules/index.md"} | {f"rules/{c}.md" for c in rules}
    index = pages["rules/index.md"]
    nav_pages = [
        page
        for section in gen_docs.rule_nav()[1:]
        for entries in section.values()
        for entry in entries
        for page in entry.values()
    ]
    assert nav_pages == [f"rules/{c}.md" for c in rules]
    for code, r in rules.items():
        page = pages[f"rules/{code}.md"]
        title = r.sections()["title"]
        assert page.startswith(f"# {code} {r.name}\n")
        assert f"| default severity | {r.severity} |" in page
        assert f"# pfocr-lint: disable={code}" in page
        assert f"[{code}]({code}.md)" in index
        # the failing example is shown as written in the docstring
        assert r.sections()["fails"] in page, code
        assert gen_docs._escape(title) in page


def test_a_new_rule_appears_without_a_hand_edit(monkeypatch):
    rules = dict(all_rules())
    new = rules["NA101"].__class__(
        **{**rules["NA101"].__dict__, "code": "NA199", "name": "brand-new"}
    )
    rules["NA199"] = new
    monkeypatch.setattr(gen_docs, "rules", lambda: dict(sorted(rules.items())))
    pages = gen_docs.generated_pages()
    assert pages["rules/NA199.md"].startswith("# NA199 brand-new\n")
    assert "[NA199](NA199.md)" in pages["rules/index.md"]
    assert {"NA199 brand-new": "rules/NA199.md"} in [
        e for s in gen_docs.rule_nav()[1:] for entries in s.values() for e in entries
    ]


def test_prose_angle_brackets_are_escaped_outside_code():
    assert gen_docs._escape("is `/pmc/<id>/` not <pmcid>") == "is `/pmc/<id>/` not &lt;pmcid&gt;"


def test_placeholders_are_filled_from_the_registries():
    from linter.base.formats import REGISTRY
    from linter.pipeline.config import KEYS

    formats = gen_docs.fill("<!-- generated:formats -->")
    assert [f"`{f.name}`" in formats for f in REGISTRY] == [True] * len(REGISTRY)
    keys = gen_docs.fill("<!-- generated:config-keys -->")
    assert all(f"| `{k}` |" in keys for k in KEYS) and "| `docs-url` | string |" in keys
    # the hand-written pages use each placeholder they need
    assert "<!-- generated:formats -->" in (ROOT / "docs" / "usage.md").read_text("utf-8")
    config_page = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    assert "<!-- generated:config-keys -->" in config_page


def test_the_site_configuration_is_offline_and_hooks_the_generator():
    # mkdocs.yml uses no python tags: plain YAML
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert config["hooks"] == ["tools/mkdocs_hooks.py"]
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    assert not {"social", "privacy", "material/social", "material/privacy"} & set(plugins)
    assert config.get("use_directory_urls", True)  # rules/NA101.md is served at rules/NA101/
    nav_files = re.findall(r"[\w/-]+\.md", json.dumps(config["nav"]))
    generated = {"rules/index.md", "changelog.md"}
    for rel in nav_files:
        assert rel in generated or (ROOT / "docs" / rel).is_file(), rel
    # the pinned docs extra installs what the site needs
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"mkdocs==' in pyproject and '"mkdocs-material==' in pyproject


# -- the links in JSON and SARIF output ------------------------------------


def test_rule_url_follows_the_sites_layout():
    # use_directory_urls: docs/rules/NA101.md is served at rules/NA101/
    assert rule_url("NA101") == f"{DOCS_URL}rules/NA101/"
    assert rule_url("NA101", "https://x.org/docs") == "https://x.org/docs/rules/NA101/"
    assert rule_url("NA101", "https://x.org/docs/") == "https://x.org/docs/rules/NA101/"
    assert rule_url("NA101", "") is None


def _check(cli, tmp_path, fmt, config=None):
    record = tmp_path / BAD.name
    record.write_bytes(BAD.read_bytes())
    if config is not None:
        (tmp_path / "pfocr-lint.toml").write_text(config, encoding="utf-8")
    return cli(str(record), "--no-cache", "--output-format", fmt)


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    from linter.cli.main import main

    monkeypatch.chdir(tmp_path)

    def run(*args):
        code = main(["check", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_json_findings_link_their_rule_page(cli, tmp_path):
    code, out, err = _check(cli, tmp_path, "json")
    findings = json.loads(out)
    assert code == 1 and findings
    assert {f["code"] for f in findings} >= {"ID105", "NA101"}
    for f in findings:
        assert f["url"] == f"{DOCS_URL}rules/{f['code']}/"


def test_sarif_rules_carry_help_uri(cli, tmp_path):
    code, out, err = _check(cli, tmp_path, "sarif")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(all_rules())
    for r in rules:
        assert r["helpUri"] == f"{DOCS_URL}rules/{r['id']}/"


def test_docs_url_is_configurable(cli, tmp_path):
    config = '[tool.pfocr-lint]\ndocs-url = "https://docs.example.org/pfocr-lint"\n'
    code, out, err = _check(cli, tmp_path, "json", config)
    urls = {f["url"] for f in json.loads(out)}
    assert "https://docs.example.org/pfocr-lint/rules/ID105/" in urls
    assert all(u.startswith("https://docs.example.org/pfocr-lint/rules/") for u in urls)
    code, out, err = _check(cli, tmp_path, "sarif", config)
    rule = json.loads(out)["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == f"https://docs.example.org/pfocr-lint/rules/{rule['id']}/"


def test_an_empty_docs_url_turns_the_links_off(cli, tmp_path):
    config = '[tool.pfocr-lint]\ndocs-url = ""\n'
    code, out, err = _check(cli, tmp_path, "json", config)
    findings = json.loads(out)
    assert findings and all(f["url"] is None for f in findings)
    code, out, err = _check(cli, tmp_path, "sarif", config)
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert rules and not any("helpUri" in r for r in rules)


@pytest.mark.parametrize("value", ['"ftp://x.org/"', '"docs/"', '"https://"', "3"])
def test_a_bad_docs_url_is_a_configuration_error(cli, tmp_path, value):
    code, out, err = _check(cli, tmp_path, "concise", f"[tool.pfocr-lint]\ndocs-url = {value}\n")
    assert code == 2
    assert "pfocr-lint.toml:2" in err and "'docs-url'" in err


def test_the_python_api_links_too(tmp_path):
    from linter import lint

    findings = lint(text=BAD.read_text("utf-8"), filename=BAD.name)
    assert findings and all(f["url"] == rule_url(f["code"]) for f in findings)


# -- README, version, changelog ---------------------------------------------


def test_the_readme_starts_with_the_two_commands_and_links_the_docs():
    text = (ROOT / "README.md").read_text("utf-8")
    first = re.search(r"```sh\n(.*?)```", text, re.S).group(1).splitlines()
    assert first[0].startswith("python -m pip install -e . && pfocr-lint check ")
    assert first[1].startswith("python -m pip install -e '.[test]' && python -m pytest -q ")
    assert len(text.splitlines()) <= 120  # one or two screens
    for page in ("getting-started/contributors.md", "getting-started/ci-maintainers.md",
                 "getting-started/curators.md", "configuration.md", "ci.md"):  # fmt: skip
        assert f"(docs/{page})" in text and (ROOT / "docs" / page).is_file()
    assert "(bench/README.md)" in text and "(CHANGELOG.md)" in text


def test_the_benchmark_results_moved_to_bench_readme():
    bench = (ROOT / "bench" / "README.md").read_text("utf-8")
    for figure in ("| 10,000 records (`_figures/`) | 1,631 | **5.4×** | 45 MB |",
                   "| one file changed | 7.9 | **0.080** | 7.9 | 127 MB |"):  # fmt: skip
        assert figure in bench


def test_the_version_is_declared_once():
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^dynamic = \["version"\]$', pyproject, re.M)
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M)
    assert 'version = { attr = "linter.__version__" }' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert "## Unreleased" in changelog and f"## {__version__} - " in changelog


def test_docstring_lists_become_markdown_lists():
    text = gen_docs._prose("it is bad when\n- one\n  more\n- two\nafter the list")
    assert text == "It is bad when\n\n- one\n  more\n- two\n\nafter the list"


def test_every_pinned_example_names_the_declared_version():
    """`rev: vX.Y.Z`, `@vX.Y.Z`, `pfocr-lint==X.Y.Z`, `version: "X.Y.Z"` in
    the docs and the example workflow: a release bumps them all or fails
    here (the changelog's history is exempt)."""
    pins = re.compile(
        r"rev: v(\d+\.\d+\.\d+)|pfocr-lint@v(\d+\.\d+\.\d+)|\}@v(\d+\.\d+\.\d+)"
        r"|pfocr-lint==(\d+\.\d+\.\d+)|version: \"(\d+\.\d+\.\d+)\""
    )
    pages = [*(ROOT / "docs").rglob("*.md"), ROOT / "docs" / "examples" / "pfocr-lint.yml"]
    seen = 0
    for page in pages:
        for match in pins.finditer(page.read_text("utf-8")):
            version = next(g for g in match.groups() if g)
            assert version == __version__, (page.name, match.group(0))
            seen += 1
    assert seen >= 8
