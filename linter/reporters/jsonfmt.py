"""A JSON array, one object per finding (ruff's diagnostic shape), streamed."""

import json

from linter.reader import _LineIndex
from linter.reporters import Reporter


def _loc(index, offset):
    row, col = index.at(offset)
    return {"row": row, "column": col}


def finding_dict(f, generation=None, text_of=None) -> dict:
    s = f.span
    fix = None
    if f.fix is not None:
        edits = []
        index = None
        text = text_of(f.filename) if text_of else None
        if text is not None:
            index = _LineIndex(text)
        for e in f.fix.edits:
            item = {"content": e.content, "offset": e.start, "end_offset": e.end}
            if index is not None:
                item["location"] = _loc(index, e.start)
                item["end_location"] = _loc(index, e.end)
            edits.append(item)
        fix = {"applicability": f.fix.applicability, "message": f.fix.message, "edits": edits}
    return {
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


def _read(filename):
    try:
        with open(filename, encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


class JsonReporter(Reporter):
    """A JSON array of findings; with ``--statistics``, instead, one object with
    the counts per rule (``rules``) and per record generation."""

    def __init__(self, stream, *, statistics: bool = False, **kw):
        super().__init__(stream, **kw)
        self.statistics = statistics

    def start(self) -> None:
        self.first = True
        if not self.statistics:
            self.stream.write("[")

    def file(self, result) -> None:
        if self.statistics:
            return
        for f in result.findings:
            self.stream.write("\n  " if self.first else ",\n  ")
            self.first = False
            self.stream.write(
                json.dumps(finding_dict(f, result.generation, _read), ensure_ascii=False)
            )

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        if not self.statistics:
            self.stream.write("\n]\n" if not self.first else "]\n")
            return
        from linter.reporters import generation_label

        rules = [
            {"code": code, "name": summary.names.get(code, ""), "count": n}
            for code, n in sorted(summary.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        generations = [
            {"generation": g, "label": generation_label(g), "records": n}
            for g, n in sorted(summary.generations.items(), key=lambda kv: str(kv[0]))
        ]
        payload = {"files": summary.files, "rules": rules, "generations": generations}
        self.stream.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
