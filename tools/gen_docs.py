"""The generated parts of the documentation, from their registries: one page
per rule (from the rule's docstring and registry entry), the rules index, the
output-format list (``linter.base.formats``) and the configuration keys
(``linter.pipeline.config.KEYS``).

The documentation site (``mkdocs.yml``) calls these at build time through
``tools/mkdocs_hooks.py``: a rule registered with ``@rule`` gets its page and
its line in the index and the navigation without any hand edit, and nothing
generated is committed, so nothing can drift.

    python tools/gen_docs.py              # check every rule's documentation renders
    python tools/gen_docs.py --check      # the same; exit 1 naming rules that lack a section
    python tools/gen_docs.py --out DIR    # write the generated pages as Markdown into DIR

A rule's docstring must have a title line and the What, Why, Fails and Passes
sections (Fix too when the rule has a fix); ``--check`` fails otherwise.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIX_WORDS = {
    "none": "none",
    "safe": "safe (`--fix`)",
    "unsafe": "unsafe (`--fix --unsafe-fixes`)",
    "safe/unsafe": "safe or unsafe, case by case (see Fix)",
}
SCOPE_WORDS = {
    "record": "each record (with its sidecar tables)",
    "read": "reading the file (no rule body: the reader reports it)",
    "run": "the run itself",
    "collection": "the whole collection (the files given on the command line)",
}
REQUIRED = ("what", "why", "fails", "passes")


def rules() -> dict:
    from linter.rules.registry import all_rules

    return all_rules()


def families() -> dict:
    from linter.rules.registry import FAMILIES

    return FAMILIES


def _escape(text: str) -> str:
    """Markdown-safe prose: ``<`` and ``>`` outside code spans are escaped,
    so ``<pmcid>`` shows instead of vanishing as an HTML tag."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(
        p if p.startswith("`") else p.replace("<", "&lt;").replace(">", "&gt;") for p in parts
    )


def _prose(text: str) -> str:
    """A docstring section as Markdown: escaped, capitalised, and its lists
    set off by blank lines (Python-Markdown needs one before a list, and
    after it, or the next paragraph joins the last item)."""
    out: list[str] = []
    in_list = False
    for line in _escape(text).splitlines():
        item = line.startswith("- ")
        opens = item and not in_list and out and out[-1].strip()
        closes = in_list and not item and line.strip() and not line.startswith(" ")
        if opens or closes:
            out.append("")
        if item:
            in_list = True
        elif not line.startswith(" ") or not line.strip():
            in_list = False
        out.append(line)
    text = "\n".join(out)
    return text[:1].upper() + text[1:]


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|").replace("\n", " ")


def rule_page(r) -> str:
    """The Markdown page of one rule."""
    from linter.rules.docs import EXAMPLES, SECTIONS, rule_info

    info = rule_info(r)
    lines = [
        f"# {r.code} {r.name}",
        "",
        f"**{_escape(info['title'])}**",
        "",
        "| | |",
        "|---|---|",
        f"| code | `{r.code}` |",
        f"| name | `{r.name}` |",
        f"| family | [{r.family}](index.md#{r.family.lower()}) – {_cell(info['family'])} |",
        f"| default severity | {r.severity} |",
        f"| fix | {FIX_WORDS.get(r.fix, r.fix)} |",
        f"| runs on | {SCOPE_WORDS.get(r.scope, r.scope)} |",
        "",
    ]
    description = r.sections().get("description", "")
    if description and description != info["what"]:
        lines += [_prose(description), ""]
    for label, key in SECTIONS:
        if info[key]:
            lines += [f"## {label}", "", _prose(info[key]), ""]
    for key in EXAMPLES:
        if info[key]:
            lines += [f"## Example that {key}", "", "```yaml", info[key], "```", ""]
    lines += [
        "## Turning it off",
        "",
        "For the whole project, in `pyproject.toml` (or `pfocr-lint.toml` without the",
        "table name), or for some files:",
        "",
        "```toml",
        "[tool.pfocr-lint]",
        f'ignore = ["{r.code}"]',
        "",
        "[tool.pfocr-lint.per-file-ignores]",
        f'"_figures/PMC1052008__*.md" = ["{r.code}"]',
        "```",
        "",
        "In a record's front matter, on its own line for the whole record, or at the",
        "end of a line for the findings on that line:",
        "",
        "```yaml",
        f"# pfocr-lint: disable={r.code}",
        "```",
        "",
        f"From the command line: `pfocr-lint check --ignore {r.code}`; the same text in a",
        f"terminal: `pfocr-lint rule {r.code}`. See [Configuration](../configuration.md).",
        "",
    ]
    return "\n".join(lines)


def rule_table(link: bool = True) -> str:
    """The rules, family by family: code (linked to its page), name, severity,
    fix, title."""
    fams = families()
    lines: list[str] = []
    family = None
    for code, r in rules().items():
        if r.family != family:
            family = r.family
            lines += ["", f"## {family}", "", f"{_escape(fams.get(family, ''))}", ""]
            lines += ["| code | name | severity | fix | what |", "|---|---|---|---|---|"]
        shown = f"[{code}]({code}.md)" if link else code
        lines.append(
            f"| {shown} | {r.name} | {r.severity} | {r.fix} | {_cell(r.sections().get('title', r.name))} |"
        )
    return "\n".join(lines).strip() + "\n"


def rules_index() -> str:
    n = len(rules())
    return (
        "# Rules\n\n"
        f"pfocr-lint has {n} rules in {len({r.family for r in rules().values()})} families. "
        "The codes are the public interface: a code never changes meaning. "
        "Each page below is generated from the rule's docstring, the same text "
        "`pfocr-lint rule CODE` prints and the SARIF report's rule help carries; "
        "`--output-format json` links each finding here (`url`), SARIF each rule "
        "(`helpUri`).\n\n"
        "Select rules by code (`NA101`), prefix (`GN10`) or family (`NA`): "
        "`--select`, `--extend-select`, `--ignore`, or the same keys in the "
        "[configuration](../configuration.md). *fix*: `safe` fixes are applied by "
        "`--fix`, `unsafe` ones only with `--unsafe-fixes`.\n\n" + rule_table()
    )


def rule_nav() -> list:
    """The rules' part of the site navigation: the index, then one section
    per family."""
    fams = families()
    nav: list = ["rules/index.md"]
    by_family: dict[str, list] = {}
    for code, r in rules().items():
        by_family.setdefault(r.family, []).append({f"{code} {r.name}": f"rules/{code}.md"})
    for family, pages in by_family.items():
        nav.append({f"{family} – {fams.get(family, family)}": pages})
    return nav


def format_table() -> str:
    from linter.base.formats import REGISTRY

    lines = ["| `--output-format` | what | default |", "|---|---|---|"]
    for f in REGISTRY:
        lines.append(f"| `{f.name}` | {f.description} | {f.note if 'default' in f.note else ''} |")
    return "\n".join(lines) + "\n"


def config_table() -> str:
    from linter.pipeline.config import KEYS

    lines = ["| key | type | what |", "|---|---|---|"]
    for key, (kind, what) in KEYS.items():
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = " or ".join(
            {
                "list": "list",
                "dict": "table",
                "str": "string",
                "int": "integer",
                "bool": "boolean",
            }.get(k.__name__, k.__name__)
            for k in kinds
        )
        lines.append(f"| `{key}` | {names} | {_cell(what)} |")
    return "\n".join(lines) + "\n"


# placeholders in hand-written pages, replaced at build time
PLACEHOLDERS = {
    "<!-- generated:formats -->": format_table,
    "<!-- generated:config-keys -->": config_table,
    "<!-- generated:rule-table -->": lambda: rule_table(link=False),
}


def fill(markdown: str) -> str:
    for marker, make in PLACEHOLDERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


def generated_pages() -> dict[str, str]:
    """Every generated page: path under docs/ -> Markdown."""
    pages = {"rules/index.md": rules_index()}
    for code, r in rules().items():
        pages[f"rules/{code}.md"] = rule_page(r)
    return pages


def problems() -> list[str]:
    from linter.rules.docs import rule_info

    out = []
    for code, r in rules().items():
        info = rule_info(r)
        missing = [k for k in REQUIRED if not info[k]]
        if r.fix != "none" and not info["fix_detail"]:
            missing.append("fix")
        if not r.sections().get("title"):
            missing.append("title")
        if missing:
            out.append(f"{code}: the docstring lacks {', '.join(missing)}")
    return out


def main(argv: list[str]) -> int:
    if "--out" in argv:
        out = Path(argv[argv.index("--out") + 1])
        for rel, text in generated_pages().items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(text, encoding="utf-8")
        print(f"wrote {len(generated_pages())} pages under {out}")
    bad = problems()
    for p in bad:
        print(p)
    if bad:
        return 1
    if "--out" not in argv:
        print(f"{len(rules())} rule pages render; the site generates them at build time")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
