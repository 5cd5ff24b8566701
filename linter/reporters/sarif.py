"""SARIF 2.1.0 (what GitHub code scanning and other SARIF viewers read).

One run: ``tool.driver`` lists every rule with its metadata (short
description = the rule's title, full description = what it checks, help =
the text ``pfocr-lint rule CODE`` prints, default level), then one result per
finding: level, message, the location (URI relative to the project root,
``%SRCROOT%``; 1-based lines and columns counted in Unicode code points, end
column exclusive), the record path as a logical location, the fix as a
replacement of characters, and ``partialFingerprints`` holding the finding's
baseline key, so code scanning follows a finding across commits that move it.

Results are streamed: the memory of the report does not grow with the run.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from linter import __version__
from linter.base.links import DOCS_URL, rule_url
from linter.base.textsafe import json_text
from linter.engine.fingerprint import key
from linter.reporters import Reporter
from linter.rules.docs import rule_info, rule_text
from linter.rules.registry import all_rules

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
ROOT_ID = "%SRCROOT%"
FINGERPRINT = "pfocrLintKey/v1"  # partialFingerprints entry: the baseline key
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptor(r, docs_url: str | None = DOCS_URL) -> dict:
    """A rule's ``reportingDescriptor``: metadata from its registry entry and
    docstring, never from running it; ``helpUri`` is its documentation page
    (left out when ``docs_url`` is empty)."""

    info = rule_info(r)
    descriptor = {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": info["title"]},
        "fullDescription": {"text": info["what"] or info["title"]},
        "help": {"text": rule_text(r)},
        "defaultConfiguration": {"level": LEVEL.get(r.severity, "warning")},
        "properties": {
            "tags": [r.family, info["family"]],
            "fix": r.fix,
            "scope": r.scope,
        },
    }
    url = rule_url(r.code, docs_url)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _region(s) -> dict | None:
    if s is None or s.line < 1:
        return None
    region = {"startLine": s.line, "startColumn": max(1, s.col)}
    if s.end_line >= s.line:
        region["endLine"] = s.end_line
        end = s.end_col if s.end_line > s.line else max(s.end_col, region["startColumn"])
        region["endColumn"] = max(1, end)
    return region


class SarifReporter(Reporter):
    def __init__(self, stream, *, root=None, docs_url=DOCS_URL, **kw):
        super().__init__(stream, **kw)
        self.root = Path(root) if root is not None else Path.cwd()
        self.docs_url = docs_url

    def start(self) -> None:

        rules = all_rules()
        self.rule_index = {code: i for i, code in enumerate(rules)}
        driver = {
            "name": "pfocr-lint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [rule_descriptor(r, self.docs_url) for r in rules.values()],
        }
        head = {
            "$schema": SCHEMA,
            "version": "2.1.0",
        }
        run_head = {
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {ROOT_ID: {"uri": self.root.resolve().as_uri() + "/"}},
        }
        text = json_text(head, self.ascii, indent=2)[:-2]  # leave the object open
        run = json_text(run_head, self.ascii, indent=2)[:-2]
        self.stream.write(text + ',\n  "runs": [\n' + _indent(run, 4) + ',\n    "results": [')
        self.first = True

    def _artifact(self, filename: str, rel: str) -> dict:
        if rel and not rel.startswith("../") and not Path(rel).is_absolute():
            return {
                "uri": quote(rel, errors="surrogateescape"),
                "uriBaseId": ROOT_ID,
            }  # a non-UTF-8 name: its bytes, %-encoded
        return {"uri": Path(filename).resolve().as_uri()}

    def result(self, f) -> dict:

        k = key(f, self.root)
        res = {
            "ruleId": f.code,
            "level": LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
        }
        if f.code in self.rule_index:
            res["ruleIndex"] = self.rule_index[f.code]
        artifact = self._artifact(f.filename, k.file) if f.filename else None
        if artifact is not None:
            physical = {"artifactLocation": artifact}
            region = _region(f.span)
            if region:
                physical["region"] = region
            location = {"physicalLocation": physical}
            if f.path:
                location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
            res["locations"] = [location]
            if f.fix is not None:
                res["fixes"] = [
                    {
                        "description": {"text": f.fix.message},
                        "artifactChanges": [
                            {
                                "artifactLocation": artifact,
                                "replacements": [
                                    {
                                        "deletedRegion": {
                                            "charOffset": e.start,
                                            "charLength": e.end - e.start,
                                        },
                                        "insertedContent": {"text": e.content},
                                    }
                                    for e in f.fix.edits
                                ],
                            }
                        ],
                        "properties": {"applicability": f.fix.applicability},
                    }
                ]
        res["partialFingerprints"] = {FINGERPRINT: str(k)}
        props = {"name": f.name, "severity": f.severity}
        if f.path:
            props["path"] = f.path
        res["properties"] = props
        return res

    def file(self, result) -> None:
        write = self.stream.write
        for f in result.findings:
            item = self.result(f)
            if result.generation is not None:
                item["properties"]["generation"] = result.generation
            write("\n      " if self.first else ",\n      ")
            self.first = False
            write(json_text(item, self.ascii))

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        invocation = {"executionSuccessful": not summary.errors}
        if summary.errors:
            invocation["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": e}} for e in summary.errors
            ]
        tail = json_text([invocation], self.ascii, indent=2)
        self.stream.write(
            ("\n    ]" if not self.first else "]")
            + ',\n    "invocations": '
            + _indent(tail, 4).lstrip()
            + "\n  }\n  ]\n}\n"
        )


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line for line in text.splitlines())
