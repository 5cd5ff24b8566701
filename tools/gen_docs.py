"""Regenerate the rule table in README.md from the rules' own registry entries.

    python tools/gen_docs.py          # rewrite the table
    python tools/gen_docs.py --check  # exit 1 when README.md is out of date

The table sits between ``<!-- rules:start -->`` and ``<!-- rules:end -->``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


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


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{rule_table()}{END}{tail}"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md rule table is out of date: run python tools/gen_docs.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
