"""Reporters: turn findings into output. They stream: ``file()`` is called
once per linted file, in order, and ``finish()`` once with the run's summary."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

FORMATS = ("full", "concise", "json", "github")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str, newlines: bool = False) -> str:
    """Escape control characters (ANSI escapes included) so record text can
    never style or move the terminal; also newlines unless ``newlines``."""
    if text.isprintable():  # all of those are non-printable: the usual case
        return text
    out = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if not newlines:
        out = out.replace("\n", "\\n")
    return out


@dataclass
class Summary:
    files: int = 0
    counts: Counter = field(default_factory=Counter)  # code -> findings
    severities: Counter = field(default_factory=Counter)
    fixable: int = 0
    fixed: int = 0
    generations: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # internal errors
    names: dict = field(default_factory=dict)  # code -> rule name

    def add(self, findings, unsafe_fixes: bool = False) -> None:
        for f in findings:
            self.counts[f.code] += 1
            self.severities[f.severity] += 1
            self.names[f.code] = f.name
            if f.fix is not None and (f.fix.applicability == "safe" or unsafe_fixes):
                self.fixable += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Reporter:
    def __init__(self, stream, *, color: bool = False, show_fixes: bool = True, **_):
        self.stream = stream
        self.color = color
        self.show_fixes = show_fixes

    def start(self) -> None:
        pass

    def file(self, result) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary, *, quiet: bool = False, statistics: bool = False) -> None:
        pass


def make_reporter(name: str, stream, **kwargs) -> Reporter:
    if name == "concise":
        from linter.reporters.concise import ConciseReporter as cls
    elif name == "json":
        from linter.reporters.jsonfmt import JsonReporter as cls
    elif name == "github":
        from linter.reporters.github import GithubReporter as cls
    elif name == "full":
        from linter.reporters.full import FullReporter as cls
    else:
        raise ValueError(name)
    return cls(stream, **kwargs)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    if summary.errors:
        n = len(summary.errors)
        return (
            f"{plural(n, 'file')} could not be linted (errors on stderr); "
            f"found {plural(summary.total, 'finding')} in the others."
        )
    if not summary.total:
        return f"All checks passed! ({plural(summary.files, 'file')} linted)"
    parts = [f"Found {plural(summary.total, 'finding')} in {plural(summary.files, 'file')}"]
    sev = ", ".join(
        f"{summary.severities[s]} {s}"
        for s in ("error", "warning", "info")
        if summary.severities[s]
    )
    line = f"{parts[0]} ({sev})."
    if summary.fixable:
        line += f"\n[*] {summary.fixable} fixable with the `--fix` option."
    return line


def generation_label(code) -> str:
    from linter.generation import LABELS

    return LABELS.get(code, str(code))


def statistics_lines(summary: Summary) -> list[str]:
    rows = []
    for code, n in sorted(summary.counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append(f"{n:>6}\t{code}\t{summary.names.get(code, '')}")
    if summary.generations:
        rows.append("")
        rows.append("records by generation:")
        for gen, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0])):
            rows.append(f"{n:>6}\t{gen}\t{generation_label(gen)}")
    return rows
