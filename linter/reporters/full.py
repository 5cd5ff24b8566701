"""The rich terminal report: findings grouped by file, each with the offending
front-matter lines (numbered, column marked), then a summary table per rule.

Record text is never interpreted: it is wrapped in ``rich.text.Text`` (no
markup parsing) after control characters are escaped, so a caption holding
``[bold]`` or an ANSI escape prints literally.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from linter.reporters import Reporter, clean, generation_label, plural, summary_line

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
CONTEXT = 1  # lines shown before and after the offending lines
MAX_LINES = 6  # at most this many lines of one node are shown


class FullReporter(Reporter):
    def __init__(self, stream, *, color: bool = False, width: int | None = None, **kw):
        super().__init__(stream, color=color, **kw)
        self.console = Console(
            file=stream,
            force_terminal=color,
            no_color=not color,
            color_system="auto" if color else None,
            highlight=False,
            markup=False,
            emoji=False,
            width=width or (None if color else 100),
            soft_wrap=not color,
        )
        self.fixable_codes: Counter = Counter()

    def _lines(self, filename: str) -> list[str] | None:
        try:
            with open(filename, encoding="utf-8", errors="replace", newline="") as fh:
                return fh.read().split("\n")
        except OSError:
            return None

    def file(self, result) -> None:
        if not result.findings:
            return
        con = self.console
        by_file: dict[str, list] = {}
        for f in result.findings:
            by_file.setdefault(f.filename, []).append(f)
        for filename, findings in by_file.items():
            lines = self._lines(filename)
            header = Text(clean(filename), style="bold underline")
            header.append(f"  ({plural(len(findings), 'finding')})", style="dim")
            con.print(header)
            for f in findings:
                con.print(self._finding(f, lines))
            con.print()

    def _finding(self, f, lines) -> Text:
        out = Text()
        s = f.span
        where = f"{s.line}:{s.col}" if s else "-"
        out.append(f"  {where:>7} ", style="bold")
        out.append(f"{f.severity:<7} ", style=_SEV_STYLE.get(f.severity, ""))
        out.append(f.code, style="bold")
        if f.fix is not None:
            out.append(" [*]" if f.fix.applicability == "safe" else " [unsafe fix]", style="green")
        out.append(" ")
        out.append(clean(f.message))
        out.append(f"  {f.name}", style="dim")
        if f.path and not f.message.startswith(f.path):
            out.append(f"  {clean(f.path)}", style="dim")
        if s is None or lines is None or s.line < 1 or s.line > len(lines):
            return out
        first = max(1, s.line - CONTEXT)
        last = min(len(lines), max(s.line, min(s.end_line, s.line + MAX_LINES - 1)) + CONTEXT)
        width = len(str(last))
        for n in range(first, last + 1):
            text = clean(lines[n - 1].rstrip("\r"))
            out.append("\n")
            hit = s.line <= n <= s.end_line
            out.append(
                f"   {'>' if hit else ' '} {n:>{width}} │ ", style="bold red" if hit else "dim"
            )
            out.append(text, style="" if hit else "dim")
            if n == s.line:
                length = (s.end_col - s.col) if s.end_line == s.line else len(text) - s.col + 1
                caret = " " * (s.col - 1) + "^" * max(1, min(length, 80))
                out.append("\n")
                out.append(f"     {' ' * width} │ ", style="dim")
                out.append(caret, style=_SEV_STYLE.get(f.severity, "bold"))
        return out

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        con = self.console
        if summary.total and (statistics or not quiet):
            table = Table(title="Findings by rule", title_justify="left", show_edge=False)
            table.add_column("code", style="bold")
            table.add_column("name")
            table.add_column("count", justify="right")
            for code, n in sorted(summary.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                table.add_row(code, summary.names.get(code, ""), str(n))
            con.print(table)
        if statistics and summary.generations:
            gt = Table(title="Records by generation", title_justify="left", show_edge=False)
            gt.add_column("generation")
            gt.add_column("records", justify="right")
            for gen, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0])):
                gt.add_row(f"{gen} – {generation_label(gen)}", str(n))
            con.print(gt)
        if not quiet:
            style = "bold green" if not summary.total else "bold"
            con.print(Text(summary_line(summary), style=style))
