"""``path:line:col: CODE message`` — one line per finding (what editors parse)."""

from linter.base.textsafe import clean
from linter.reporters import Reporter, statistics_lines, summary_line


def text(findings, show_fixes: bool = True) -> str:
    """A file's findings as the concise format prints them (what a warm run
    may print from the results cache instead, for the default options:
    :func:`brief`)."""
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
    return "".join(lines)


def brief(findings) -> str:
    """The text the results cache keeps of a file's findings: the concise
    format's, fixes shown (a warm run prints it without the findings)."""
    return text(findings, True)


class ConciseReporter(Reporter):
    def file(self, result) -> None:
        if result.findings:
            self.stream.write(text(result.findings, self.show_fixes))  # one write per file

    def prints_brief(self) -> bool:
        return self.show_fixes

    def apart(self, stream) -> "ConciseReporter":
        return ConciseReporter(stream, color=self.color, show_fixes=self.show_fixes)

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        if statistics:
            for row in statistics_lines(summary):
                self.stream.write(row + "\n")
        if not quiet:
            self.stream.write(summary_line(summary) + "\n")
