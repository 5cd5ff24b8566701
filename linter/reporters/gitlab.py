"""GitLab Code Quality (``artifacts:reports:codequality``): a JSON array, one
issue per finding with ``description``, ``check_name`` (the rule code),
``fingerprint``, ``severity`` and ``location`` (``path`` relative to the
project root, ``lines.begin``).

Severities map to GitLab's scale as error → ``major``, warning → ``minor``,
info → ``info``; ``critical`` and ``blocker`` are not used (a data-quality
finding does not break a build of its own).

The fingerprint is the digest of the finding's baseline key, stable across
edits elsewhere in the file and moved lines. GitLab keeps one issue per
fingerprint, so the second, third… identical finding (the same key: a
baseline counts them) gets the digest of the key and its occurrence number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from linter.base.textsafe import json_text
from linter.engine.fingerprint import fingerprint, key
from linter.reporters import Reporter

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


class GitlabReporter(Reporter):
    def __init__(self, stream, *, root=None, **kw):
        super().__init__(stream, **kw)
        self.root = Path(root) if root is not None else Path.cwd()
        self.seen: dict[str, int] = {}

    def start(self) -> None:
        self.first = True
        self.stream.write("[")

    def issue(self, f) -> dict:

        digest = fingerprint(f, self.root)
        n = self.seen.get(digest, 0) + 1
        self.seen[digest] = n
        if n > 1:
            digest = hashlib.blake2b(f"{digest}:{n}".encode(), digest_size=16).hexdigest()
        path = key(f, self.root).file or f.filename
        s = f.span
        return {
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": digest,
            "severity": SEVERITY.get(f.severity, "minor"),
            "location": {"path": path, "lines": {"begin": s.line if s and s.line > 0 else 1}},
        }

    def file(self, result) -> None:
        for f in result.findings:
            self.stream.write("\n  " if self.first else ",\n  ")
            self.first = False
            self.stream.write(json_text(self.issue(f), self.ascii))

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        self.stream.write("\n]\n" if not self.first else "]\n")
