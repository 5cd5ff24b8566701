"""JUnit XML (what GitLab's ``artifacts:reports:junit``, Jenkins and Azure
Pipelines show as test results): one ``<testsuite>`` for the run, one
``<testcase>`` per linted file (a record; a sidecar table or collection
finding joins its own file's case).

A case fails when the file has a finding at or above the failing severity
(``fail-on``): its ``<failure>`` lists every finding of the file, one per
line (``line:col: CODE [severity] message``); findings below it (``info``)
are listed in the case's ``<system-out>`` and the case passes. A file that
could not be linted is a case with an ``<error>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from linter.base.model import SEVERITY_RANK
from linter.base.textsafe import clean
from linter.reporters import Reporter, plural

_NOT_XML = str.maketrans({"\ufffe": "\\ufffe", "\uffff": "\\uffff"})


def _text(value: str) -> str:
    """Text XML 1.0 can carry: control characters escaped as ``\\xNN``."""
    return clean(value, newlines=True).translate(_NOT_XML)


def _line(f) -> str:
    s = f.span
    where = f"{s.line}:{s.col}" if s else "-"
    return f"{where}: {f.code} [{f.severity}] {f.message}"


def _case(suite, filename: str):
    """A file's ``<testcase>``: the folder as its class name (``a.b``), the
    file's name as its name."""
    folder, _, name = filename.replace("\\", "/").rpartition("/")
    return ET.SubElement(
        suite,
        "testcase",
        name=_text(name),
        classname=_text(folder.replace("/", ".") or "."),
        file=_text(filename),
    )


class JunitReporter(Reporter):
    def __init__(self, stream, *, fail_on: str = "warning", **kw):
        super().__init__(stream, **kw)
        self.threshold = SEVERITY_RANK.get(fail_on, SEVERITY_RANK["warning"])
        self.files: list[str] = []  # every linted file, in order
        self.known: set[str] = set()
        self.findings: dict[str, list] = {}  # only files with findings

    def file(self, result) -> None:
        for name in (result.filename, *(f.filename for f in result.findings)):
            if name and name not in self.known:  # a collection finding may name any file
                self.known.add(name)
                self.files.append(name)
        for f in result.findings:
            self.findings.setdefault(f.filename or result.filename, []).append(f)

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        suites = ET.Element("testsuites", name="pfocr-lint")
        suite = ET.SubElement(suites, "testsuite", name="pfocr-lint check")
        failures = 0
        for filename in self.files:
            case = _case(suite, filename)
            found = self.findings.get(filename, [])
            failing = [f for f in found if SEVERITY_RANK.get(f.severity, 2) >= self.threshold]
            if failing:
                failures += 1
                counts = ", ".join(
                    f"{n} {sev}"
                    for sev in ("error", "warning", "info")
                    if (n := sum(1 for f in found if f.severity == sev))
                )
                first = min(failing, key=lambda f: -SEVERITY_RANK.get(f.severity, 0))
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_text(f"{plural(len(found), 'finding')} ({counts})"),
                    type=first.code,
                )
                failure.text = "\n".join(_text(_line(f)) for f in found)
            elif found:
                ET.SubElement(case, "system-out").text = "\n".join(_text(_line(f)) for f in found)
        for message in summary.errors:
            case = _case(suite, message.split(": ", 1)[0])  # "<file>: cannot read: …"
            error = ET.SubElement(case, "error", message=_text(message.splitlines()[0]))
            error.text = _text(message)
        tests = len(self.files) + len(summary.errors)
        for element in (suites, suite):
            element.set("tests", str(tests))
            element.set("failures", str(failures))
            element.set("errors", str(len(summary.errors)))
        suite.set("skipped", "0")
        ET.indent(suites)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(ET.tostring(suites, encoding="unicode"))
        self.stream.write("\n")
