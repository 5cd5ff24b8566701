"""GitHub Actions workflow commands (annotations on the pull request), within
GitHub's limits, and a step summary.

GitHub shows at most 10 error and 10 warning annotations (and 10 notices)
of one step, and 50 of a job. So the first 10 findings of each severity
become annotations, written at the end of the run, most severe first; every
further finding is printed as a plain ``path:line:col: CODE message`` line of
the log as it comes, and one ``::notice`` says how many were not annotated
and where to find them. When ``$GITHUB_STEP_SUMMARY`` names a file, a
markdown summary (counts per rule with name and severity, totals, records
affected) is appended to it.

Every line of the log is read by the runner as a possible workflow command,
and file names and record text reach it: the annotations escape their
properties and data as GitHub's rules require, and every other line (a
finding past the limit, ``--statistics``, the summary) goes through
:func:`log_line`, so no file name or message can forge an annotation or
switch the real ones off (``::stop-commands::``).
"""

from __future__ import annotations

import os
from collections import Counter

from linter.base.textsafe import clean, log_line, to_stderr
from linter.reporters import (
    Reporter,
    fix_hint,
    plural,
    statistics_lines,
    statistics_rows,
    summary_line,
)

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
ORDER = ("error", "warning", "info")
MAX_PER_LEVEL = 10  # GitHub: 10 error, 10 warning (10 notice) annotations per step


def _esc_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _esc_prop(text: str) -> str:
    return _esc_data(text).replace(":", "%3A").replace(",", "%2C")


def _severity(f) -> str:
    """The severity a finding is annotated and counted under."""
    return f.severity if f.severity in ORDER else "warning"


def annotation(f) -> str:
    s = f.span
    props = [f"file={_esc_prop(clean(f.filename, newlines=True))}"]
    if s:
        props += [
            f"line={s.line}",
            f"col={s.col}",
            f"endLine={s.end_line}",
            f"endColumn={s.end_col}",
        ]
    props.append(f"title={_esc_prop(f'{f.code} {f.name}')}")
    level = _LEVEL.get(f.severity, "warning")
    return (
        f"::{level} {','.join(props)}::"
        f"{_esc_data(f'{f.code} ' + clean(f.message, newlines=True))}\n"
    )


def plain(f) -> str:
    s = f.span
    line, col = (s.line, s.col) if s else (1, 1)
    name = clean(f.filename)
    if name.lstrip().startswith(":"):  # "./::x.md": the same file, not a command
        name = "./" + name
    return log_line(f"{name}:{line}:{col}: {f.code} [{f.severity}] {clean(f.message)}") + "\n"


class GithubReporter(Reporter):
    def __init__(self, stream, *, step_summary: bool = True, limit: int = MAX_PER_LEVEL, **kw):
        super().__init__(stream, **kw)
        self.step_summary = step_summary
        self.limit = limit
        self.annotations: dict[str, list[str]] = {sev: [] for sev in ORDER}
        self.overflow: Counter = Counter()  # severity -> findings not annotated

    def _room(self, sev: str) -> int:
        """Annotations of severity ``sev`` still to give (notices: one place
        is kept for the notice that counts the rest)."""
        return self.limit - (1 if sev == "info" else 0) - len(self.annotations[sev])

    def file(self, result) -> None:
        for f in result.findings:
            sev = _severity(f)
            if self._room(sev) > 0:
                self.annotations[sev].append(annotation(f))
            else:
                self.overflow[sev] += 1
                self.stream.write(plain(f))

    def apart(self, stream) -> _GithubPart:
        return _GithubPart(stream, self.limit)

    def put(self, part) -> None:
        """A part rendered apart: the first findings of each severity that
        still have room become annotations, cut out of its log lines."""
        text, marks = part
        cuts = []
        for sev, (count, marked) in marks.items():
            taken = marked[: max(self._room(sev), 0)]
            self.annotations[sev].extend(a for _, _, a in taken)
            self.overflow[sev] += count - len(taken)
            cuts.extend((start, end) for start, end, _ in taken)
        if not cuts:
            self.stream.write(text)
            return
        cuts.sort()
        at, pieces = 0, []
        for start, end in cuts:
            pieces.append(text[at:start])
            at = end
        pieces.append(text[at:])
        self.stream.write("".join(pieces))

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        write = self.stream.write
        for sev in ORDER:
            for line in self.annotations[sev]:
                write(line)
        hidden = sum(self.overflow.values())
        if hidden:
            parts = ", ".join(f"{self.overflow[s]} {s}" for s in ORDER if self.overflow[s])
            where = "the step summary has the counts per rule" if self._summary_file() else ""
            write(
                "::notice title=pfocr-lint::"
                + _esc_data(
                    f"{plural(hidden, 'more finding')} ({parts}) not annotated: GitHub shows "
                    f"at most {self.limit} annotations of each severity per step. They are "
                    "listed in this step's log"
                    + (f"; {where}" if where else "")
                    + " (--output-format sarif uploads them all to code scanning)."
                )
                + "\n"
            )
        if statistics:
            for row in statistics_lines(summary):
                write(log_line(row) + "\n")
        if not quiet:
            write(log_line(summary_line(summary).splitlines()[0]) + "\n")
        path = self._summary_file()
        if path:
            try:
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(self.markdown(summary))
            except OSError as exc:
                to_stderr(f"pfocr-lint: cannot write the step summary {path}: {exc}")

    def _summary_file(self) -> str | None:
        if not self.step_summary:
            return None
        return os.environ.get("GITHUB_STEP_SUMMARY") or None

    def markdown(self, summary) -> str:
        """The step summary: totals, then one row per rule."""
        lines = ["## pfocr-lint", ""]
        if summary.errors:
            lines += [
                f"**{plural(len(summary.errors), 'file')} could not be linted** (see the log).",
                "",
            ]
        if not summary.total:
            lines += [f"All checks passed: {plural(summary.files, 'file')} linted.", ""]
            return "\n".join(lines) + "\n"
        sev = ", ".join(f"{summary.severities[s]} {s}" for s in ORDER if summary.severities[s])
        lines.append(
            f"**{plural(summary.total, 'finding')}** ({sev}) in "
            f"{plural(len(summary.records), 'record')} of {plural(summary.files, 'file')} linted."
        )
        hint = fix_hint(summary)
        if hint:
            lines.append(hint.removeprefix("[*] "))
        lines += [
            "",
            "| rule | name | severity | findings | records |",
            "|---|---|---|---:|---:|",
        ]
        for r in statistics_rows(summary):
            lines.append(
                f"| `{r['code']}` | {r['name']} | {r['severity']} | {r['count']} | {r['records']} |"
            )
        lines.append(f"| **total** | | | **{summary.total}** | **{len(summary.records)}** |")
        lines += ["", "`pfocr-lint rule CODE` explains a rule.", ""]
        return "\n".join(lines) + "\n"


class _GithubPart(Reporter):
    """The github format's files rendered apart (a warm run's workers): every
    finding as its log line, and, for each severity, where the first
    ``limit`` of them are with their annotations, since which of them the
    run annotates depends on the files before (:meth:`GithubReporter.put`)."""

    def __init__(self, stream, limit: int):
        super().__init__(stream)
        self.limit = limit
        self.at = 0  # characters written
        self.marks: dict[str, tuple[int, list]] = {}  # severity -> (count, first marks)

    def file(self, result) -> None:
        write, marks = self.stream.write, self.marks
        for f in result.findings:
            sev = _severity(f)
            line = plain(f)
            count, marked = marks.get(sev) or (0, [])
            if count < self.limit:
                marked.append((self.at, self.at + len(line), annotation(f)))
            marks[sev] = (count + 1, marked)
            write(line)
            self.at += len(line)

    def part(self, text: str):
        return text, self.marks
