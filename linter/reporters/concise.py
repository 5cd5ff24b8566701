"""``path:line:col: CODE message`` — one line per finding (what editors parse)."""

from linter.base.textsafe import clean
from linter.reporters import Reporter, statistics_lines, summary_line


class ConciseReporter(Reporter):
    def file(self, result) -> None:
        write = self.stream.write
        names: dict[str, str] = {}  # a file's findings share its name
        for f in result.findings:
            s = f.span
            line, col = (s.line, s.col) if s else (1, 1)
            safe = f.fix is not None and f.fix.applicability == "safe"
            mark = " [*]" if safe and self.show_fixes else ""
            name = names.get(f.filename)
            if name is None:
                name = names[f.filename] = clean(f.filename)
            write(f"{name}:{line}:{col}: {f.code}{mark} {clean(f.message)}\n")

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        if statistics:
            for row in statistics_lines(summary):
                self.stream.write(row + "\n")
        if not quiet:
            self.stream.write(summary_line(summary) + "\n")
