"""``pfocr-lint rule CODE``, ``pfocr-lint rules`` and ``pfocr-lint reference``.

Everything shown comes from the rules' own docstrings and registry entries, so
the documentation cannot drift from the code.
"""

from __future__ import annotations

import json

from linter.base.textsafe import to_stderr
from linter.pipeline.config import ConfigError, _reference_options, load_config
from linter.rules.docs import rule_info, rule_text
from linter.rules.registry import all_rules


def explain_rule(code: str, fmt: str, out) -> int:
    rules = all_rules()
    r = rules.get(code.upper())
    if r is None:
        to_stderr(
            f"pfocr-lint: error: unknown rule code {code!r}{_did_you_mean(code, rules)}",
        )
        return 2
    if fmt == "json":
        out.write(json.dumps(rule_info(r), indent=2, ensure_ascii=False) + "\n")
        return 0
    out.write(rule_text(r) + "\n")
    return 0


def _did_you_mean(code: str, rules) -> str:
    """The nearest codes (and names) to a mistyped one, for the error message."""
    import difflib

    want = code.strip().upper()
    near = difflib.get_close_matches(want, list(rules), n=3, cutoff=0.5)
    by_name = {r.name: c for c, r in rules.items()}
    for name in difflib.get_close_matches(code.strip().lower(), list(by_name), n=3, cutoff=0.6):
        if by_name[name] not in near:
            near.append(by_name[name])
    if not near:
        return "; `pfocr-lint rules` lists them all"
    shown = ", ".join(f"{c} ({rules[c].name})" for c in near)
    return f"; did you mean {shown}?"


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
    """The reference data: each source file (package, version, file, snapshot
    date, row counts, licence), each shipped snapshot, and what the
    configuration of the working directory adds (`[tool.pfocr-lint.reference]`)."""

    from linter.knowledge import reference

    try:
        config = load_config()
        table = config.get("reference")
        configured = (
            _reference_options(table, config.root, str(config.path))[0]
            if isinstance(table, dict)
            else {}
        )
    except ConfigError as exc:
        to_stderr(f"pfocr-lint: configuration error: {exc}")
        return 2
    reference.configure_from_options(configured)
    try:
        manifest = reference.sources()
    finally:
        reference.configure()
    if fmt == "json":
        data = {**manifest, "configured": configured}
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=out, highlight=False, markup=False, width=160 if not out.isatty() else None
    )
    snapshots = manifest.get("snapshots", {})
    total = manifest.get("total_bytes") or sum(v.get("bytes", 0) for v in snapshots.values())
    where = configured.get("data-dir") or "linter/refdata"
    console.print(
        f"Reference data in {where}: {len(snapshots)} snapshots, {total / 1e6:.1f} MB, "
        f"built by {manifest.get('generator', 'tools/build_reference_data.py')} "
        "(rebuild: python tools/build_reference_data.py)"
    )
    sources = Table(title="Sources", show_edge=False, title_justify="left")
    for col in ("package", "version", "file", "snapshot", "rows", "licence"):
        sources.add_column(col)
    helpers = 0
    for name, src in manifest.get("sources", {}).items():
        for path, info in src.get("files", {}).items():
            rows = _rows_text(info.get("rows"))
            if not rows and not info.get("snapshot_date"):
                helpers += 1  # read for a detail only (a date, a rank): see the JSON
                continue
            licence = info.get("licence") or f"{src.get('package_licence', '?')} (package)"
            sources.add_row(
                src.get("package", name),
                src.get("version", ""),
                path.rsplit("/", 1)[-1],
                str(info.get("snapshot_date", "") or "–"),
                rows or "–",
                licence,
            )
    if helpers:
        sources.caption = f"and {helpers} auxiliary files (--output-format json lists them)"
        sources.caption_justify = "left"
    console.print(sources)
    shipped = Table(title="Snapshots", show_edge=False, title_justify="left")
    for col in ("file", "rows", "bytes", "built from", "format"):
        shipped.add_column(col)
    for filename, info in snapshots.items():
        shipped.add_row(
            filename,
            f"{info.get('rows', 0):,}",
            f"{info.get('bytes', 0):,}",
            ", ".join(info.get("derived_from", [])),
            info.get("format", "gzip" if filename.endswith(".gz") else "text").split(":")[0],
        )
    console.print(shipped)
    extra = {k: v for k, v in configured.items() if k != "data-dir"}
    if extra:
        lines = ["Configured in [tool.pfocr-lint.reference]:"]
        for key, value in extra.items():
            for v in value if isinstance(value, list) else [value]:
                lines.append(f"  {key}: {v}")
        console.print("\n".join(lines))
    return 0


def _rows_text(rows) -> str:
    if not isinstance(rows, dict):
        return ""
    parts = []
    for key, value in rows.items():
        if isinstance(value, dict):
            parts.append(f"{key} ({_rows_text(value)})")
        elif isinstance(value, int):
            parts.append(f"{key} {value:,}")
        else:
            parts.append(f"{key} {value}")
    return "; ".join(parts)
