"""``pfocr-lint rule CODE``, ``pfocr-lint rules`` and ``pfocr-lint reference``.

Everything shown comes from the rules' own docstrings and registry entries, so
the documentation cannot drift from the code.
"""

from __future__ import annotations

import json

from linter.registry import FAMILIES, all_rules

FIX_WORDS = {
    "none": "no automatic fix",
    "safe": "safe fix (applied by --fix)",
    "unsafe": "unsafe fix (applied with --fix --unsafe-fixes)",
    "safe/unsafe": "safe fix in some cases, unsafe in others (see Fix)",
}


def rule_info(r) -> dict:
    sec = r.sections()
    return {
        "code": r.code,
        "name": r.name,
        "family": FAMILIES.get(r.family, r.family),
        "severity": r.severity,
        "fix": r.fix,
        "scope": r.scope,
        "title": sec.get("title", r.name),
        "what": sec.get("what", sec.get("description", "")),
        "why": sec.get("why", ""),
        "fix_detail": sec.get("fix", ""),
        "options": sec.get("options", ""),
        "notes": sec.get("notes", ""),
        "fails": sec.get("fails", ""),
        "passes": sec.get("passes", ""),
    }


def explain_rule(code: str, fmt: str, out) -> int:
    rules = all_rules()
    r = rules.get(code.upper())
    if r is None:
        import sys

        print(f"pfocr-lint: error: unknown rule code {code!r}", file=sys.stderr)
        return 2
    info = rule_info(r)
    if fmt == "json":
        out.write(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
        return 0
    lines = [
        f"{r.code} ({r.name})",
        "",
        info["title"],
        "",
        f"Family:   {r.family} – {info['family']}",
        f"Severity: {r.severity} (default; configurable)",
        f"Fix:      {FIX_WORDS.get(r.fix, r.fix)}",
    ]
    for label, key in (
        ("What it checks", "what"),
        ("Why it matters", "why"),
        ("Fix", "fix_detail"),
        ("Options", "options"),
        ("Notes", "notes"),
    ):
        if info[key]:
            lines += ["", f"{label}:", *("  " + ln for ln in info[key].splitlines())]
    for label, key in (("Fails", "fails"), ("Passes", "passes")):
        if info[key]:
            lines += [
                "",
                f"Example that {label.lower()}:",
                *("    " + ln for ln in info[key].splitlines()),
            ]
    out.write("\n".join(lines) + "\n")
    return 0


def list_rules(fmt: str, out) -> int:
    rules = all_rules()
    if fmt == "json":
        out.write(
            json.dumps([rule_info(r) for r in rules.values()], indent=2, ensure_ascii=False) + "\n"
        )
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False)
    for col in ("code", "name", "severity", "fix", "title"):
        table.add_column(col)
    for r in rules.values():
        table.add_row(r.code, r.name, r.severity, r.fix, r.title)
    Console(file=out, highlight=False, markup=False, width=160 if not out.isatty() else None).print(
        table
    )
    return 0


def show_reference(fmt: str, out) -> int:
    try:
        from linter import reference
    except ImportError:  # pragma: no cover
        out.write("no reference data is shipped\n")
        return 0
    sources = reference.sources()
    if fmt == "json":
        out.write(json.dumps(sources, indent=2, ensure_ascii=False) + "\n")
        return 0
    out.write(json.dumps(sources, indent=2, ensure_ascii=False) + "\n")
    return 0
