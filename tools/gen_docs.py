"""Regenerate the rule table and the output-format list in README.md from
their registries (the rules' own entries, ``linter.base.formats``).

    python tools/gen_docs.py          # rewrite the table
    python tools/gen_docs.py --check  # exit 1 when README.md is out of date

The rule table sits between ``<!-- rules:start -->`` and ``<!-- rules:end -->``,
the format list between ``<!-- formats:start -->`` and ``<!-- formats:end -->``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"
FSTART, FEND = "<!-- formats:start -->", "<!-- formats:end -->"


def rule_table() -> str:
    sys.path.insert(0, str(ROOT))
    from linter.rules.registry import FAMILIES, all_rules

    lines = []
    family = None
    for code, r in all_rules().items():
        if r.family != family:
            family = r.family
            lines += ["", f"**{family}** – {FAMILIES.get(family, '')}", ""]
            lines += ["| code | name | severity | fix | what |", "|---|---|---|---|---|"]
        title = r.title.replace("|", "\\|")
        lines.append(f"| {code} | {r.name} | {r.severity} | {r.fix} | {title} |")
    return "\n".join(lines).strip() + "\n"


def format_table() -> str:
    sys.path.insert(0, str(ROOT))
    from linter.base.formats import REGISTRY

    lines = ["| `--output-format` | what | default |", "|---|---|---|"]
    for f in REGISTRY:
        lines.append(f"| `{f.name}` | {f.description} | {f.note if 'default' in f.note else ''} |")
    return "\n".join(lines) + "\n"


def _between(text: str, start: str, end: str, body: str) -> str:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}{end}{tail}"


def render(text: str) -> str:
    text = _between(text, START, END, rule_table())
    return _between(text, FSTART, FEND, format_table())


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(
                "README.md rule table or format list is out of date: run python tools/gen_docs.py"
            )
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
