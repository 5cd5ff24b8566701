"""Reporters: turn findings into output. They stream: ``file()`` is called
once per linted file, in order, and ``finish()`` once with the run's summary."""

from __future__ import annotations

import importlib
import os
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field

from linter.base.chunks import Chunks
from linter.base.formats import BY_NAME, FORMATS, TERMINAL_FORMATS
from linter.base.model import finding_groups

__all__ = ["BY_NAME", "FORMATS", "TERMINAL_FORMATS", "Reporter", "Summary", "make_reporter"]
from linter.base.textsafe import is_utf8, write_utf8
from linter.reading.generation import LABELS


def want_color(choice: str | None, stream, environ=None) -> bool:
    """``--color always|never|auto`` (``None`` = auto): auto colours a
    terminal unless ``NO_COLOR`` is set, and anything when ``FORCE_COLOR`` is
    set (https://no-color.org, https://force-color.org); an explicit choice wins."""
    if choice in ("always", "never"):
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "0") not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass
class Summary:
    files: int = 0
    counts: Counter = field(default_factory=Counter)  # code -> findings
    severities: Counter = field(default_factory=Counter)
    fixable: int = 0  # what ``--fix`` applies with the flags given
    hidden_fixes: int = 0  # unsafe fixes ``--unsafe-fixes`` would add (ruff's "hidden")
    safe_fixes: int = 0
    unsafe_fixes: int = 0
    fixed: int = 0
    generations: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # internal errors
    names: dict = field(default_factory=dict)  # code -> rule name
    # per rule: the severities seen, the fixable findings, the records affected
    rule_severities: dict = field(default_factory=dict)  # code -> set of severities
    rule_fixable: Counter = field(default_factory=Counter)
    rule_safe: Counter = field(default_factory=Counter)  # code -> findings with a safe fix
    rule_unsafe: Counter = field(default_factory=Counter)  # ... with an unsafe (or display) fix
    rule_records: Counter = field(default_factory=Counter)
    # the records with a finding: their figids as UTF-8, one after the other
    # (duplicates included; a set of 100,000 figid strings costs about 11 MB,
    # these bytes about 3 MB): ``records`` is the set, built when asked
    _figids: Chunks = field(default_factory=Chunks, repr=False)
    _figid_ends: array = field(default_factory=lambda: array("Q"), repr=False)

    def add(self, findings, unsafe_fixes: bool = False) -> None:
        """Count one file's findings (with its sidecar tables'), or the
        collection findings: a record counts once per rule in a call."""
        if findings:
            self.add_groups(finding_groups(findings), unsafe_fixes)

    def add_groups(self, groups, unsafe_fixes: bool = False) -> None:
        """:meth:`add` from the findings' :func:`~linter.base.model.finding_groups`."""
        counts, severities = self.counts, self.severities
        names, rule_severities = self.names, self.rule_severities
        figids: dict[str, str] = {}  # filename -> figid, in this call
        seen = set()
        for code, name, severity, filename, n, safe, other in groups:
            counts[code] += n
            severities[severity] += n
            if safe:
                self.safe_fixes += safe
                self.rule_safe[code] += safe
                self.fixable += safe
                self.rule_fixable[code] += safe
            if other:
                self.unsafe_fixes += other
                self.rule_unsafe[code] += other
                if unsafe_fixes:
                    self.fixable += other
                    self.rule_fixable[code] += other
                else:
                    self.hidden_fixes += other
            names[code] = name
            sevs = rule_severities.get(code)
            if sevs is None:
                sevs = rule_severities[code] = set()
            sevs.add(severity)
            record = figids.get(filename)
            if record is None:
                record = figids[filename] = figid_of(filename)
                self._figids.add(record.encode("utf-8", "surrogatepass"))
                self._figid_ends.append(len(self._figids))
            if (code, record) not in seen:
                seen.add((code, record))
                self.rule_records[code] += 1

    def take(self, result, unsafe_fixes: bool = False) -> None:
        """Count one linted file's result (that has no error): the file, its
        generation, its findings (what a run does for each file)."""
        self.files += 1
        if result.generation is not None:
            self.generations[result.generation] += 1
        self.add(result.findings, unsafe_fixes)

    def take_brief(self, brief, unsafe_fixes: bool = False) -> None:
        """:meth:`take` for a cached file read without its findings (a
        :class:`~linter.engine.FileBrief`)."""
        self.files += 1
        if brief.generation is not None:
            self.generations[brief.generation] += 1
        self.add_groups(brief.groups, unsafe_fixes)

    def merge(self, other: Summary) -> None:
        """Add the counts of ``other``, a summary of the files that come next
        (made in another process): the same as counting them here."""
        self.files += other.files
        self.counts.update(other.counts)
        self.severities.update(other.severities)
        self.fixable += other.fixable
        self.hidden_fixes += other.hidden_fixes
        self.safe_fixes += other.safe_fixes
        self.unsafe_fixes += other.unsafe_fixes
        self.fixed += other.fixed
        self.generations.update(other.generations)
        self.errors.extend(other.errors)
        self.names.update(other.names)
        for code, severities in other.rule_severities.items():
            self.rule_severities.setdefault(code, set()).update(severities)
        self.rule_fixable.update(other.rule_fixable)
        self.rule_safe.update(other.rule_safe)
        self.rule_unsafe.update(other.rule_unsafe)
        self.rule_records.update(other.rule_records)
        self._figid_ends.extend(self._figids.extend(other._figids, other._figid_ends))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def records(self) -> frozenset[str]:
        """The records with a finding (their figids)."""
        items = self._figids.items(self._figid_ends)
        return frozenset(str(raw, "utf-8", "surrogatepass") for raw in items)


class Reporter:
    def __init__(self, stream, *, color: bool = False, show_fixes: bool = True, **_):
        self.stream = stream
        self.ascii = not is_utf8(stream)  # JSON-based formats then write ASCII only
        self.color = color
        self.show_fixes = show_fixes

    def start(self) -> None:
        pass

    def file(self, result) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary, *, quiet: bool = False, statistics: bool = False) -> None:
        pass

    def abort(self) -> None:
        """The run stops with an error before ``finish``: leave the output
        well-formed (the JSON reporter closes its document)."""

    def apart(self, stream) -> Reporter | None:
        """A reporter of this format and these options writing to ``stream``,
        whose ``file`` output, written in order, is what this one's would be:
        files can then be rendered elsewhere (a warm run's worker processes).
        None for a format whose output is more than its files' in turn."""
        return None

    def prints_brief(self) -> bool:
        """Whether this reporter prints for a file exactly the text the
        results cache keeps of it (:func:`linter.reporters.concise.brief`):
        a warm run then prints that text without making the findings."""
        return False

    def part(self, text: str):
        """What a reporter made by :meth:`apart` hands back for the files it
        rendered, ``text`` being what it wrote: the text itself, or, for a
        format whose output for a file depends on the files before it, what
        :meth:`put` needs besides."""
        return text

    def put(self, part) -> None:
        """Write a :meth:`part` as this reporter would have written those
        files (in order, after the files it has seen); ``bytes``: the text
        as UTF-8 (what a warm run's workers send of the results cache's
        text, not decoded on the way)."""
        if type(part) is bytes:
            write_utf8(self.stream, part)
        else:
            self.stream.write(part)


def make_reporter(name: str, stream, **kwargs) -> Reporter:
    """A reporter writing format ``name`` to ``stream``. Keyword arguments a
    format does not use are ignored: ``color``, ``statistics``, ``root`` (the
    folder report paths are relative to), ``fail_on``, ``step_summary``."""
    fmt = BY_NAME.get(name)
    if fmt is None:
        raise ValueError(name)
    module = importlib.import_module(f"linter.reporters.{fmt.module}")
    return getattr(module, fmt.cls)(stream, **kwargs)


class Tee(Reporter):
    """Several reporters fed the same run (``--output-file``: the report to a
    file, the human format to the terminal)."""

    def __init__(self, reporters):
        self.reporters = list(reporters)

    def start(self) -> None:
        for r in self.reporters:
            r.start()

    def file(self, result) -> None:
        for r in self.reporters:
            r.file(result)

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        for r in self.reporters:
            r.finish(summary, quiet=quiet, statistics=statistics)

    def abort(self) -> None:
        for r in self.reporters:
            r.abort()


def figid_of(filename: str) -> str:
    """The figid a file belongs to, read from its name: PFOCR names a record
    ``<figid>.md`` (ID102 flags one that is not) and its tables
    ``<figid>-genes.tsv``, ``-chemicals.tsv``, ``-diseases.tsv``."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if not name.endswith(".md"):
        for kind in ("-genes", "-chemicals", "-diseases"):
            if stem.endswith(kind):
                return stem[: -len(kind)]
    return stem


def pmcid_of(figid: str) -> str:
    """The PMC ID a figid starts with (``PMC123__…``), or ``""``."""
    head = figid.split("__", 1)[0]
    return head if "__" in figid and head[:3] == "PMC" and head[3:].isdigit() else ""


PMC = "https://www.ncbi.nlm.nih.gov"
_FIGLINK = re.compile(r"^/?(pmc/articles/PMC\d+/figure/[A-Za-z0-9_.-]+)/?$")


def figure_url(figlink: str, pmcid: str = "") -> str:
    """The figure's page on PMC from a record's ``figlink``
    (``/pmc/articles/PMC…/figure/F1/``), else the paper's from its PMC ID,
    else ``""`` (the HTML report's script does the same)."""
    m = _FIGLINK.match(figlink or "")
    if m:
        return f"{PMC}/{m.group(1)}/"
    if re.fullmatch(r"PMC\d+", pmcid or ""):
        return f"{PMC}/pmc/articles/{pmcid}/"
    return ""


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
    hint = fix_hint(summary)
    if hint:
        line += "\n" + hint
    return line


def fix_hint(summary: Summary) -> str:
    """ruff's fix summary line (``ruff/src/printer.rs``): what ``--fix``
    would apply, and the unsafe fixes only ``--unsafe-fixes`` enables ("hidden";
    none are hidden when the run has ``--unsafe-fixes``); ``""`` when no
    finding has a fix."""
    n, m = summary.fixable, summary.hidden_fixes
    hidden = (
        f"{m} hidden fix{'' if m == 1 else 'es'} can be enabled with the `--unsafe-fixes` option"
    )
    if n and m:
        return f"[*] {n} fixable with the `--fix` option ({hidden})."
    if n:
        return f"[*] {n} fixable with the `--fix` option."
    if m:
        return f"No fixes available ({hidden})."
    return ""


def fix_counts(safe: int, unsafe: int) -> str:
    """``N safe fixes, M unsafe``: a statistics cell, the same form for every rule."""
    return f"{safe} safe fix{'' if safe == 1 else 'es'}, {unsafe} unsafe"


def generation_label(code) -> str:

    return LABELS.get(code, str(code))


def statistics_rows(summary: Summary) -> list[dict]:
    """One row per rule, the most frequent first: code, name, severity (those
    seen, most severe first), count, fixable (what ``--fix`` applies with the
    flags given), safe_fixes and unsafe_fixes (findings with a fix of each
    kind), records (affected)."""
    rows = []
    for code, n in sorted(summary.counts.items(), key=lambda kv: (-kv[1], kv[0])):
        seen = summary.rule_severities.get(code, ())
        rows.append(
            {
                "code": code,
                "name": summary.names.get(code, ""),
                "severity": ", ".join(s for s in ("error", "warning", "info") if s in seen),
                "count": n,
                "fixable": summary.rule_fixable[code],
                "safe_fixes": summary.rule_safe[code],
                "unsafe_fixes": summary.rule_unsafe[code],
                "records": summary.rule_records[code],
            }
        )
    return rows


def statistics_lines(summary: Summary) -> list[str]:
    """``count<TAB>code<TAB>name<TAB>severity<TAB>fixes<TAB>records`` rows
    (fixes: ``N safe fixes, M unsafe``, as ``--fix`` and ``--unsafe-fixes``
    tell them apart), then the records by generation."""
    rows = [
        f"{r['count']:>6}\t{r['code']}\t{r['name']}\t{r['severity']}\t"
        f"{fix_counts(r['safe_fixes'], r['unsafe_fixes'])}\t{r['records']} records"
        for r in statistics_rows(summary)
    ]
    if summary.generations:
        rows.append("")
        rows.append("records by generation:")
        for gen, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0])):
            rows.append(f"{n:>6}\t{gen}\t{generation_label(gen)}")
    return rows
