"""``path:line:col: CODE message`` — one line per finding (what editors parse)."""

from linter.base.textsafe import clean
from linter.reporters import Reporter, statistics_lines, summary_line


class ConciseReporter(Reporter):
    def file(self, result) -> None:
        findings = result.findings
        if not findings:
            return
        show_fixes = self.show_fixes
        names: dict[str, str] = {}  # a file's findings share its name
        lines = []
        for f in findings:
            s = f.span
            line, col = (s.line, s.col) if s else (1, 1)
            fix = f.fix
            mark = " [*]" if show_fixes and fix is not None and fix.applicability == "safe" else ""
            name = names.get(f.filename)
            if name is None:
                name = names[f.filename] = clean(f.filename)
            message = f.message
            if not message.isprintable():  # clean()'s own test, without the call
                message = clean(message)
            lines.append(f"{name}:{line}:{col}: {f.code}{mark} {message}\n")
        self.stream.write("".join(lines))  # one write per file, not per finding

    def apart(self, stream) -> "ConciseReporter":
        return ConciseReporter(stream, color=self.color, show_fixes=self.show_fixes)

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        if statistics:
            for row in statistics_lines(summary):
                self.stream.write(row + "\n")
        if not quiet:
            self.stream.write(summary_line(summary) + "\n")
