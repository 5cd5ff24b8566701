"""A JSON array, one object per finding (ruff's diagnostic shape), streamed."""

import json

from linter.reading.reader import _LineIndex
from linter.reporters import Reporter, json_text


def _loc(index, offset):
    row, col = index.at(offset)
    return {"row": row, "column": col}


def finding_dict(f, generation=None, lines_of=None) -> dict:
    """``lines_of(filename)`` gives the file's line index (``_LineIndex``) for
    the rows and columns of fix edits, or None."""
    s = f.span
    fix = None
    if f.fix is not None:
        edits = []
        index = lines_of(f.filename) if lines_of else None
        for e in f.fix.edits:
            item = {"content": e.content, "offset": e.start, "end_offset": e.end}
            if index is not None:
                item["location"] = _loc(index, e.start)
                item["end_location"] = _loc(index, e.end)
            edits.append(item)
        fix = {"applicability": f.fix.applicability, "message": f.fix.message, "edits": edits}
    out = {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "filename": f.filename,
        "location": {"row": s.line, "column": s.col} if s else None,
        "end_location": {"row": s.end_line, "column": s.end_col} if s else None,
        "path": f.path,
        "fix": fix,
        "url": None,
        "generation": generation,
    }
    related = f.extra.get("related") if f.extra else None
    if related:  # an optional field: absent when a finding has no second location
        out["related"] = [
            {
                "message": message,
                "filename": filename,
                "location": {"row": span[0], "column": span[1]},
                "end_location": {"row": span[2], "column": span[3]},
            }
            for message, filename, span in related
        ]
    return out


def empty_document(statistics: bool = False) -> str:
    """What ``--output-format json`` prints when the run stops before linting
    (a usage, configuration or path error, exit 2): an empty list of findings,
    or with ``--statistics`` the statistics object with nothing counted."""
    if statistics:
        return json.dumps({"files": 0, "rules": [], "generations": []}, indent=2) + "\n"
    return "[]\n"


class LineIndexes:
    """A file's line index for fix locations, kept for the file last asked for
    (findings come file by file): one read per file, not one per finding."""

    def __init__(self):
        self.name, self.index = None, None

    def __call__(self, filename):
        if filename != self.name:
            self.name, self.index = filename, None
            try:
                from linter.reading.reader import read_regular

                text = read_regular(filename, 1 << 26).decode("utf-8")
                self.index = _LineIndex(text)
            except (OSError, UnicodeDecodeError):
                pass
        return self.index


class JsonReporter(Reporter):
    """A JSON array of findings; with ``--statistics``, instead, one object with
    the counts per rule (``rules``) and per record generation."""

    def __init__(self, stream, *, statistics: bool = False, **kw):
        super().__init__(stream, **kw)
        self.statistics = statistics
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
                json_text(finding_dict(f, result.generation, self._lines), self.ascii)
            )

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        self.finished = True
        if not self.statistics:
            self.stream.write("\n]\n" if not self.first else "]\n")
            return
        from linter.reporters import generation_label, statistics_rows

        rules = statistics_rows(summary)  # code, name, severity, count, fixable, records
        generations = [
            {"generation": g, "label": generation_label(g), "records": n}
            for g, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0]))
        ]
        payload = {"files": summary.files, "rules": rules, "generations": generations}
        self.stream.write(json_text(payload, self.ascii, indent=2) + "\n")
