"""A JSON array, one object per finding (ruff's diagnostic shape), streamed."""

import json

from linter.base.links import DOCS_URL
from linter.base.textsafe import json_text
from linter.engine.serialize import LineIndexes, finding_dict
from linter.reporters import Reporter, generation_label, statistics_rows


def empty_document(statistics: bool = False) -> str:
    """What ``--output-format json`` prints when the run stops before linting
    (a usage, configuration or path error, exit 2): an empty list of findings,
    or with ``--statistics`` the statistics object with nothing counted."""
    if statistics:
        return json.dumps({"files": 0, "rules": [], "generations": []}, indent=2) + "\n"
    return "[]\n"


class JsonReporter(Reporter):
    """A JSON array of findings; with ``--statistics``, instead, one object with
    the counts per rule (``rules``) and per record generation."""

    def __init__(self, stream, *, statistics: bool = False, docs_url=DOCS_URL, **kw):
        super().__init__(stream, **kw)
        self.statistics = statistics
        self.docs_url = docs_url
        self.first = True
        self.started = self.finished = False
        self._lines = LineIndexes()

    def start(self) -> None:
        self.first = True
        self.started = True
        if not self.statistics:
            self.stream.write("[")

    def abort(self) -> None:
        """Leave valid JSON on stdout when the run stops with an error (exit
        2): the findings so far, the list closed; or the empty document when
        nothing was started."""
        if self.finished:
            return
        if not self.started:
            self.stream.write(empty_document(self.statistics))
        elif not self.statistics:
            self.stream.write("\n]\n" if not self.first else "]\n")
        else:
            self.stream.write(empty_document(True))
        self.finished = True

    def file(self, result) -> None:
        if self.statistics:
            return
        for f in result.findings:
            self.stream.write("\n  " if self.first else ",\n  ")
            self.first = False
            self.stream.write(
                json_text(
                    finding_dict(f, result.generation, self._lines, docs_url=self.docs_url),
                    self.ascii,
                )
            )

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        self.finished = True
        if not self.statistics:
            self.stream.write("\n]\n" if not self.first else "]\n")
            return

        # code, name, severity, count, fixable, safe_fixes, unsafe_fixes, records
        rules = statistics_rows(summary)
        generations = [
            {"generation": g, "label": generation_label(g), "records": n}
            for g, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0]))
        ]
        payload = {"files": summary.files, "rules": rules, "generations": generations}
        self.stream.write(json_text(payload, self.ascii, indent=2) + "\n")
