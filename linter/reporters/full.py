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

from linter.reporters import (
    Reporter,
    clean,
    generation_label,
    plural,
    statistics_rows,
    summary_line,
)
from linter.reporters.frame import code_frame

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SHOWN_BYTES = 4 * 1024 * 1024  # lines are shown from this much of a file at most


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
        from linter.reader import read_regular

        try:  # never blocks on a FIFO; a huge table is shown from its start
            raw = read_regular(filename, _SHOWN_BYTES)
        except OSError:
            return None
        return raw.decode("utf-8", errors="replace").split("\n")

    def file(self, result) -> None:
        if not result.findings:
            return
        con = self.console
        by_file: dict[str, list] = {}
        for f in result.findings:
            by_file.setdefault(f.filename, []).append(f)
        explained: set[str] = set()  # a rule's help is said once per record
        for filename, findings in by_file.items():
            lines = self._lines(filename)
            header = Text(clean(filename), style="bold underline")
            header.append(f"  ({plural(len(findings), 'finding')})", style="dim")
            con.print(header)
            for f in findings:
                con.print(self._headline(f))
                frame = self._frame(f, lines)
                if frame is not None:
                    con.print(frame)
                if f.extra.get("related"):
                    con.print(self._related(f, lines))
                if f.code not in explained:
                    explained.add(f.code)
                    con.print(self._help(f))
            con.print()

    def _headline(self, f) -> Text:
        """Location, severity and code, then the message: a long message
        wraps under itself, not under the location."""
        s = f.span
        where = f"{s.line}:{s.col}" if s else "-"
        left = Text(f"  {where:>7} ", style="bold")
        left.append(f"{f.severity:<7} ", style=_SEV_STYLE.get(f.severity, ""))
        left.append(f.code, style="bold")
        left.append(" ")
        right = Text()
        if f.fix is not None:
            right.append(
                "[*] " if f.fix.applicability == "safe" else "[unsafe fix] ", style="green"
            )
        right.append(clean(f.message))
        if f.path and not f.message.startswith(f.path):
            right.append(f"  {clean(f.path)}", style="dim")
        return self._hanging(left, right)

    def _related(self, f, lines) -> Text:
        """A finding's second locations (``extra["related"]``, e.g. where GN106's
        caption defines the abbreviation): a note and the line, underlined."""
        out = Text()
        for message, filename, (line, col, end_line, end_col, _s, _e) in f.extra["related"]:
            same = filename == f.filename
            if out:
                out.append("\n")
            where = f"{line}:{col}" if same else f"{clean(filename)}:{line}:{col}"
            out.append(f"{'':>11}= note: {where}: {clean(message)}", style="cyan")
            text_lines = lines if same else self._lines(filename)
            if text_lines is None or not 1 <= line <= len(text_lines):
                continue
            raw = text_lines[line - 1].rstrip("\r")
            width = len(str(line))
            out.append(f"\n     {line:>{width}} │ ", style="dim")
            out.append(clean(raw))
            end = end_col - 1 if end_line == line else len(raw)
            pad = len(clean(raw[: col - 1]))
            length = len(clean(raw[col - 1 : end]))
            out.append(f"\n     {' ' * width} │ ", style="dim")
            out.append(" " * pad + "-" * max(1, min(length, 80)), style="cyan")
        return out

    def _help(self, f) -> Text:
        from linter.registry import all_rules

        r = all_rules().get(f.code)
        title = r.title if r is not None else f.name
        text = f"{f.code} {f.name}: {clean(title)} (pfocr-lint rule {f.code})"
        return self._hanging(Text(f"{'':>11}= ", style="dim"), Text(text, style="dim"))

    def _hanging(self, left: Text, right: Text) -> Text:
        """``left`` then ``right`` wrapped to the console width, its
        continuation lines indented to where it started."""
        indent = left.cell_len
        width = self.console.width - indent
        if width < 20:
            return Text.assemble(left, right)
        out = left.copy()
        for i, line in enumerate(right.wrap(self.console, width)):
            if i:
                out.append("\n" + " " * indent)
            line.rstrip()
            out.append_text(line)
        return out

    def _frame(self, f, lines) -> Text | None:
        frame = code_frame(lines or [], f.span, f.filename, f.message)
        if not frame:
            return None
        out = Text()
        width = len(str(max(fl.number for fl in frame)))
        style = _SEV_STYLE.get(f.severity, "bold")
        for i, fl in enumerate(frame):
            if i:
                out.append("\n")
            text = clean(fl.text)
            hit = fl.mark is not None
            caret = hit and (fl.number == f.span.line or f.filename.endswith(".tsv"))
            number = str(fl.number) if fl.number else "…"
            out.append(
                f"   {'>' if hit else ' '} {number:>{width}} │ ", style="bold red" if hit else "dim"
            )
            out.append(text, style="" if hit else "dim")
            if caret:
                start, end = fl.mark
                # the caret sits under the escaped text: count escapes before it
                pad = len(clean(fl.text[:start]))
                length = len(clean(fl.text[start:end]))
                out.append("\n")
                out.append(f"     {' ' * width} │ ", style="dim")
                out.append(" " * pad + "^" * max(1, min(length, 80)), style=style)
        return out

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        con = self.console
        if summary.total and (statistics or not quiet):
            table = Table(title="Findings by rule", title_justify="left", show_edge=False)
            table.add_column("code", style="bold")
            table.add_column("name")
            table.add_column("count", justify="right")
            if statistics:
                table.add_column("severity")
                table.add_column("fixable", justify="right")
                table.add_column("records", justify="right")
            for r in statistics_rows(summary):
                cells = [r["code"], r["name"], str(r["count"])]
                if statistics:
                    cells += [r["severity"], str(r["fixable"]), str(r["records"])]
                table.add_row(*cells)
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
