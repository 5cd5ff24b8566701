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

from linter.base.textsafe import clean
from linter.reading.files import read_regular
from linter.reporters import (
    Reporter,
    generation_label,
    plural,
    statistics_rows,
    summary_line,
)
from linter.reporters.frame import FrameLine, code_frame
from linter.rules.registry import get_rule

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
        noted: set = set()  # and so is a second location's line
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
                    con.print(self._related(f, lines, noted))
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

    def _related(self, f, lines, noted: set) -> Text:
        """A finding's second locations (``extra["related"]``, e.g. where GN106's
        caption defines the abbreviation): a note and the line, underlined."""
        out = Text()
        for message, filename, (line, col, end_line, end_col, _s, _e) in f.extra["related"]:
            same = filename == f.filename
            if out:
                out.append("\n")
            where = f"{line}:{col}" if same else f"{clean(filename)}:{line}:{col}"
            note = Text(f"{where}: {clean(message)}", style="cyan")
            out.append_text(self._hanging(Text(f"{'':>11}= note: ", style="cyan"), note))
            text_lines = lines if same else self._lines(filename)
            key = (filename, line, col, end_line, end_col)
            if key in noted or text_lines is None or not 1 <= line <= len(text_lines):
                continue  # a line already shown for this record is not shown again
            noted.add(key)
            raw = text_lines[line - 1].rstrip("\r")
            end = end_col - 1 if end_line == line else len(raw)
            out.append("\n")
            mark = (col - 1, max(col, end))
            out.append_text(self._render([FrameLine(line, raw, mark)], "cyan", "-", hit=False))
        return out

    def _help(self, f) -> Text:

        r = get_rule(f.code)
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
        first = f.span.line if not f.filename.endswith(".tsv") else None
        return self._render(frame, _SEV_STYLE.get(f.severity, "bold"), "^", first=first)

    def _render(self, frame, style: str, caret: str, first=None, hit=True) -> Text:
        """Frame lines with their numbers, each offending span underlined with
        ``caret`` (a YAML node: on its ``first`` line only). Tabs are expanded
        and a line longer than the console is cut around its mark, so the
        underline stays under what it marks."""
        out = Text()
        width = len(str(max(fl.number for fl in frame)))
        room = max(20, self.console.width - width - 9)  # the gutter is width + 8
        for i, fl in enumerate(frame):
            if i:
                out.append("\n")
            marked = hit and fl.mark is not None
            number = str(fl.number) if fl.number else "…"
            out.append(
                f"   {'>' if marked else ' '} {number:>{width}} │ ",
                style="bold red" if marked else "dim",
            )
            text, mark = _shown(fl.text, fl.mark, room, aligned=first is None and hit)
            out.append(text, style="" if marked or not hit else "dim")
            if mark is not None and (first is None or fl.number == first):
                out.append("\n")
                out.append(f"     {' ' * width} │ ", style="dim")
                out.append(" " * mark[0] + caret * max(1, mark[1] - mark[0]), style=style)
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
                table.add_column("safe fixes", justify="right")
                table.add_column("unsafe fixes", justify="right")
                table.add_column("records", justify="right")
            for r in statistics_rows(summary):
                cells = [r["code"], r["name"], str(r["count"])]
                if statistics:
                    cells += [
                        r["severity"],
                        str(r["safe_fixes"]),
                        str(r["unsafe_fixes"]),
                        str(r["records"]),
                    ]
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


def _shown(text: str, mark, room: int, aligned: bool = False) -> tuple[str, tuple[int, int] | None]:
    """``text`` as printed (control characters escaped, tabs expanded, cut to
    ``room`` columns around ``mark``) and ``mark`` moved to match."""
    if mark is None:
        shown = clean(text).expandtabs(4)
        return (shown if len(shown) <= room else shown[: room - 1] + "…"), None
    start, end = mark
    head = clean(text[:start])
    body = clean(text[start:end])
    shown = (head + body + clean(text[end:])).expandtabs(4)
    a = len(head.expandtabs(4))
    b = len((head + body).expandtabs(4))
    if len(shown) <= room:
        return shown, (a, b)
    # from a little before the mark; as much of the line as fits, unless lines
    # aligned in columns (a table's header and row) must stay aligned
    left = 0 if b <= room - 1 else max(0, a - 8 if aligned else min(a - 8, len(shown) - room + 1))
    piece = shown[left : left + room - 1]
    if left:
        piece = "…" + piece[1:]
    if left + room - 1 < len(shown):
        piece += "…"
    a, b = max(a - left, 1 if left else 0), min(b - left, room - 1)
    return piece, (a, max(a + 1, b))
