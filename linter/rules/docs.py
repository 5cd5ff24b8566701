"""A rule's documentation, read from its docstring and registry entry: what
``pfocr-lint rule CODE`` prints, the SARIF rule help and the HTML report's
explanations all come from here, so the documentation cannot drift."""

from __future__ import annotations

from linter.rules.registry import FAMILIES

FIX_WORDS = {
    "none": "no automatic fix",
    "safe": "safe fix (applied by --fix)",
    "unsafe": "unsafe fix (applied with --fix --unsafe-fixes)",
    "safe/unsafe": "safe fix in some cases, unsafe in others (see Fix)",
}

# the prose sections of a rule's documentation, in order: (heading, rule_info key)
SECTIONS = (
    ("What it checks", "what"),
    ("Why it matters", "why"),
    ("Fix", "fix_detail"),
    ("Options", "options"),
    ("Notes", "notes"),
)
EXAMPLES = ("fails", "passes")  # its examples, in order: "Example that <key>"


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


def rule_text(r) -> str:
    """The rule's documentation as ``pfocr-lint rule CODE`` prints it (also the
    help text of the SARIF report's rules and the HTML report's explanations)."""
    info = rule_info(r)
    lines = [
        f"{r.code} ({r.name})",
        "",
        info["title"],
        "",
        f"Family:   {r.family} – {info['family']}",
        f"Severity: {r.severity} (default; configurable)",
        f"Fix:      {FIX_WORDS.get(r.fix, r.fix)}",
    ]
    for label, key in SECTIONS:
        if info[key]:
            lines += ["", f"{label}:", *("  " + ln for ln in info[key].splitlines())]
    for key in EXAMPLES:
        if info[key]:
            lines += ["", f"Example that {key}:", *("    " + ln for ln in info[key].splitlines())]
    return "\n".join(lines)
