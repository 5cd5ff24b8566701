"""The HTML report: one self-contained file for curators.

``pfocr-lint report [PATH ...] -o report.html`` (or ``check --output-format
html``). The page holds a summary with charts (Vega-Lite specs built with
altair, rendered to inline SVG at build time by vl-convert), a records table
(sortable, filterable, paged, rendered on demand by a small script from
compact JSON embedded in the page) and a record view per record (findings,
code frames, the rule's explanation, the fix as a diff and the command that
applies it, links to the figure and the paper).

The templates (``templates/``) and the script and style sheet (``assets/``)
live beside this module and are inlined: the page fetches nothing.

Record text never runs in the page: the JSON is embedded in a
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, and the script puts record text into the page with
``textContent`` only.

Like every reporter it gets the findings of each linted file; it reads each
record again (through :mod:`linter.reading.reader`) for the metadata it shows.
jinja2, altair and vl-convert-python are the ``report`` extra, imported only
when the page is built.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from linter import __version__
from linter.base.exitcodes import UsageError
from linter.engine import apply_fixes
from linter.engine.workers import in_parts
from linter.reading.files import read_regular
from linter.reading.reader import read_file
from linter.reporters import Reporter, fix_hint, generation_label
from linter.reporters.frame import code_frame
from linter.rules.docs import rule_text
from linter.rules.registry import all_rules

REQUIRES = {"jinja2": "jinja2", "altair": "altair", "vl_convert": "vl-convert-python"}
INSTALL_HINT = "pip install 'pfocr-lint[report]'"
MAX_FRAME_CHARS = 400  # a code-frame line longer than this is cut
MAX_CAPTION = 4000
MAX_CELL = 300  # title / organisms in the table
_HERE = Path(__file__).resolve().parent
SEV_INDEX = {"error": 0, "warning": 1, "info": 2}


def missing_requirements() -> list[str]:
    """The report's packages (their PyPI names) that cannot be imported here."""
    import importlib

    missing = []
    for module, package in REQUIRES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    return missing


class HtmlReporter(Reporter):
    def __init__(self, stream, *, unsafe_fixes: bool = False, baseline=None, paths=(), **kw):
        missing = missing_requirements()
        if missing:  # before any linting: the usage error names what to install
            raise UsageError(f"the HTML report needs {', '.join(missing)}: {INSTALL_HINT}")
        super().__init__(stream, **kw)
        self.rows: list[list] = []
        self.details: dict[int, dict] = {}
        self.by_file: dict[str, int] = {}
        self.rule_codes: Counter = Counter()
        self.fixable: Counter = Counter()
        self.safe: Counter = Counter()  # code -> findings with a safe fix
        self.unsafe: Counter = Counter()  # ... with an unsafe one
        self.baseline = baseline  # the baseline whose findings are marked, or None
        self.paths = [str(p) for p in paths or ()]  # what the report linted (fix commands)
        self._texts: dict[str, list[str] | None] = {}
        self._meta: tuple[int, dict] = (-1, {})  # the last record read

    # -- collecting -------------------------------------------------------------
    def file(self, result) -> None:
        if not result.filename:  # collection findings: to the records they name
            for f in result.findings:
                self._add_finding(self._row_for(f.filename, None), f)
            return
        i = self._row_for(result.filename, result.generation)
        for f in result.findings:
            self._add_finding(i, f)
        self._texts.clear()

    def _row_for(self, filename: str, generation) -> int:
        i = self.by_file.get(filename)
        if i is not None:
            return i
        meta = _metadata(filename)
        i = len(self.rows)
        self.by_file[filename] = i
        # figid, title, year, organisms, generation, pmcid, file, errors,
        # warnings, infos, codes, paper title, baselined findings
        self.rows.append(
            [
                _figid(meta.get("figid"), filename),
                _cut(meta.get("figtitle") or "", MAX_CELL),
                _year(meta.get("year")),
                _cut(_organisms(meta.get("organisms")), MAX_CELL),
                generation or "",
                _text(meta.get("pmcid")),
                filename,
                0,
                0,
                0,
                [],
                _cut(_text(meta.get("papertitle")), MAX_CELL),
                0,
            ]
        )
        self._meta = (i, meta)
        return i

    def _detail(self, i: int) -> dict:
        """The record view's data, made for records with findings only."""
        detail = self.details.get(i)
        if detail is None:
            meta = self._meta[1] if self._meta[0] == i else _metadata(self.rows[i][6])
            detail = self.details[i] = {
                "doi": _text(meta.get("doi")),
                "figlink": _text(meta.get("figlink")),
                "caption": _cut(_text(meta.get("caption")), MAX_CAPTION),
                "findings": [],
            }
        return detail

    def _add_finding(self, i: int, f) -> None:
        row, detail = self.rows[i], self._detail(i)
        row[7 + SEV_INDEX.get(f.severity, 2)] += 1
        if f.code not in row[10]:
            row[10].append(f.code)
        self.rule_codes[f.code] += 1
        s = f.span
        lines = self._lines(f.filename)
        frame = [
            [fl.number, _cut(fl.text, MAX_FRAME_CHARS), list(fl.mark) if fl.mark else None]
            for fl in code_frame(lines or [], s, f.filename, f.message)
        ]
        item = {
            "code": f.code,
            "sev": f.severity,
            "msg": f.message,
            # the record's own file is the row's: only another file (a table) is named
            "file": f.filename if f.filename != row[6] else None,
            "line": s.line if s else None,
            "col": s.col if s else None,
            "path": f.path,
            "frame": frame,
        }
        if (f.extra or {}).get("baselined"):
            item["base"] = 1
            row[12] += 1
        if f.fix is not None:
            self.fixable[f.code] += 1
            (self.safe if f.fix.applicability == "safe" else self.unsafe)[f.code] += 1
            item["fix"] = {
                "safety": f.fix.applicability,
                "msg": f.fix.message,
                "diff": self._diff(f),
                "cmd": fix_command(f),  # the file's name is in the command
            }
        if f.code == "GN106":
            item["highlight"] = gn106_highlight(f, detail["caption"], self._text)
        detail["findings"].append(item)

    def _lines(self, filename: str) -> list[str] | None:
        if filename not in self._texts:
            try:  # never blocks on a FIFO; a huge table is shown from its start
                raw = read_regular(filename, 4 * 1024 * 1024)
                self._texts[filename] = raw.decode("utf-8", errors="replace").split("\n")
            except OSError:
                self._texts[filename] = None
        return self._texts[filename]

    def _text(self, filename: str) -> str | None:
        lines = self._lines(filename)
        return None if lines is None else "\n".join(lines)

    def _diff(self, f) -> str:
        lines = self._lines(f.filename)
        return "" if lines is None else fix_diff("\n".join(lines), f.fix)

    # -- building ---------------------------------------------------------------
    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        self.stream.write(self.render(summary))

    def data(self, summary) -> dict:

        rules = all_rules()
        details = self.details
        rule_info = {
            code: {
                "name": rules[code].name if code in rules else summary.names.get(code, ""),
                "severity": rules[code].severity if code in rules else "",
                "count": n,
                "fixable": self.fixable[code],
                "safe": self.safe[code],
                "unsafe": self.unsafe[code],
                "text": rule_text(rules[code]) if code in rules else "",
            }
            for code, n in sorted(self.rule_codes.items())
        }
        return {
            "rows": self.rows,
            "details": details,
            "rules": rule_info,
            "generations": {
                g: generation_label(g) for g in sorted({r[4] for r in self.rows if r[4]})
            },
            "baseline": self.baseline,
        }

    def render(self, summary) -> str:
        import jinja2

        data = self.data(summary)
        with_findings = sum(1 for r in self.rows if r[7] or r[8] or r[9])
        stats = {
            "records": len(self.rows),
            "with_findings": with_findings,
            "findings": summary.total,
            "errors": summary.severities["error"],
            "warnings": summary.severities["warning"],
            "infos": summary.severities["info"],
            "fixable": sum(self.fixable.values()),
            "safe": sum(self.safe.values()),
            "unsafe": sum(self.unsafe.values()),
            "baselined": sum(r[12] for r in self.rows),
            "papers": len({r[5] for r in self.rows if r[5]}),
        }
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

        return env.get_template("report.html.j2").render(
            stats=stats,
            charts=charts(self.rows, data["rules"]),
            data_json=embed_json(data),
            css=(_HERE / "assets" / "report.css").read_text(encoding="utf-8"),
            js=(_HERE / "assets" / "report.js").read_text(encoding="utf-8"),
            version=__version__,
            errors=summary.errors,
            baseline=self.baseline,
            fix_hint=fix_hint(summary),
            first=fix_first(self.rows, data["rules"], self.paths),
        )


# -- pieces -----------------------------------------------------------------------
def record_anchors(rows: list[list]) -> list[str]:
    """Each row's anchor in the page (``#record/<anchor>``): its figid, stable
    from one report to the next; a figid met again (XR101's duplicates) gets
    ``~2``, ``~3``… in file order. The page's script computes the same."""
    seen: Counter = Counter()
    out = []
    for r in rows:
        seen[r[0]] += 1
        out.append(r[0] if seen[r[0]] == 1 else f"{r[0]}~{seen[r[0]]}")
    return out


def fix_first(rows: list[list], rules: dict, paths: list[str], worst: int = 10) -> dict:
    """The "fix first" panel: the errors (per rule, most first), what the fix
    commands apply now (safe, and unsafe with ``--unsafe-fixes``) with the exact
    command, and the records with the most errors, then findings."""
    where = (" " + shlex.join(paths)) if paths else ""
    anchors = record_anchors(rows)
    errors = sorted(
        ((code, info) for code, info in rules.items() if info["severity"] == "error"),
        key=lambda kv: (-kv[1]["count"], kv[0]),
    )
    safe = sum(info["safe"] for info in rules.values())
    unsafe = sum(info["unsafe"] for info in rules.values())
    by_rule = sorted(
        ((code, info) for code, info in rules.items() if info["safe"] or info["unsafe"]),
        key=lambda kv: (-(kv[1]["safe"] + kv[1]["unsafe"]), kv[0]),
    )
    ranked = sorted(
        (i for i, r in enumerate(rows) if r[7] or r[8] or r[9]),
        key=lambda i: (-rows[i][7], -(rows[i][7] + rows[i][8] + rows[i][9]), rows[i][0]),
    )[:worst]
    return {
        "error_records": sum(1 for r in rows if r[7]),
        "errors": [
            {"code": code, "name": info["name"], "count": info["count"]} for code, info in errors
        ],
        "safe": safe,
        "unsafe": unsafe,
        "safe_cmd": f"pfocr-lint check --fix{where}",
        "unsafe_cmd": f"pfocr-lint check --fix --unsafe-fixes{where}",
        "fix_rules": [
            {
                "code": code,
                "name": info["name"],
                "safe": info["safe"],
                "unsafe": info["unsafe"],
                "cmd": "pfocr-lint check --fix"
                + (" --unsafe-fixes" if info["unsafe"] and not info["safe"] else "")
                + f" --select {code}{where}",
            }
            for code, info in by_rule[:5]
        ],
        "worst": [
            {
                "figid": rows[i][0],
                "anchor": quote(anchors[i], safe=""),
                "errors": rows[i][7],
                "warnings": rows[i][8],
                "infos": rows[i][9],
                "title": rows[i][1],
            }
            for i in ranked
        ],
    }


def embed_json(data) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``
    or ``&`` (so no ``</script>`` or ``<!--``), and no U+2028/U+2029."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@", re.M)


def fix_diff(text: str, fix) -> str:
    """The fix as the hunks of a unified diff (no file header: the record view
    names the file), computed on the lines the edits touch plus one line of
    context, numbered as in the whole file."""

    start = min(e.start for e in fix.edits)
    end = max(e.end for e in fix.edits)
    a = text.rfind("\n", 0, start)
    a = text.rfind("\n", 0, a) + 1 if a > 0 else 0  # one line of context before
    b = text.find("\n", end)
    b = len(text) if b < 0 else text.find("\n", b + 1)
    b = len(text) if b < 0 else b + 1  # one line of context after
    segment = text[a:b]
    shifted = type(fix)(
        fix.applicability,
        fix.message,
        tuple(type(e)(e.start - a, e.end - a, e.content) for e in fix.edits),
    )
    fixed, _ = apply_fixes(segment, [shifted])
    offset = text.count("\n", 0, a)
    hunks = difflib.unified_diff(
        segment.splitlines(keepends=True), fixed.splitlines(keepends=True), n=1, lineterm="\n"
    )
    body = "".join(list(hunks)[2:])  # no ---/+++ header

    def renumber(m):
        old, new = int(m.group(1)) + offset, int(m.group(3)) + offset
        return f"@@ -{old}{m.group(2) or ''} +{new}{m.group(4) or ''} @@"

    return _HUNK.sub(renumber, body)


def fix_command(f) -> str:
    """The command that applies this finding's fix (with the other fixes of
    the same rule in the same file)."""
    cmd = ["pfocr-lint", "check", "--fix"]
    if f.fix.applicability != "safe":
        cmd.append("--unsafe-fixes")
    cmd += ["--select", f.code, f.filename]
    return shlex.join(cmd)


def gn106_highlight(f, caption: str, text_of=None) -> dict:
    """What to highlight in the caption for a GN106 finding: ``ranges``
    ([start, end, kind] in the caption, kind ``abbr``, ``long`` or ``def``)
    where the caption defines the abbreviation, from the location the finding
    carries (``extra["related"]``; ``text_of(filename)`` gives the file's
    text), and ``abbr`` / ``long``, the words to mark wherever they occur,
    from the finding's data (``extra["data"]``: abbreviation and long form,
    else the gene's word)."""
    out: dict = {}
    data = (f.extra or {}).get("data") or {}
    abbr, long = data.get("abbreviation"), data.get("long_form")
    for _message, filename, pos in (f.extra or {}).get("related", ()):
        text = text_of(filename) if text_of is not None else None
        if text is None or not caption:
            continue
        snippet = " ".join(text[pos[4] : pos[5]].split())
        at = " ".join(caption.split()).find(snippet) if snippet else -1
        if at < 0 or " ".join(caption.split()) != caption:
            at = caption.find(snippet) if snippet else -1
        if at < 0:
            continue
        ranges = []
        low = caption[at : at + len(snippet)].lower()
        for word, kind in ((long, "long"), (abbr, "abbr")):
            i = low.find(word.lower()) if word else -1
            if i >= 0 and not any(r[0] < at + i + len(word) and at + i < r[1] for r in ranges):
                ranges.append([at + i, at + i + len(word), kind])
        out["ranges"] = sorted(ranges) or [[at, at + len(snippet), "def"]]
    if abbr:
        out["abbr"] = abbr
    if long:
        out["long"] = long
    if not abbr and data.get("word"):
        out["abbr"] = data["word"]
    return out


def charts(rows: list[list], rules: dict) -> dict[str, str]:
    """The summary's charts as inline SVG, rendered by vl-convert from
    Vega-Lite specs built with altair."""
    import altair as alt

    per_rule = [
        {"rule": code, "findings": info["count"], "severity": info["severity"]}
        for code, info in rules.items()
    ]
    gens: Counter = Counter()
    gens_bad: Counter = Counter()
    years: Counter = Counter()
    years_bad: Counter = Counter()
    for r in rows:
        bad = bool(r[7] or r[8] or r[9])
        g = generation_label(r[4]) if r[4] else "unknown"
        y = r[2] or "unknown"
        gens[g] += 1
        years[y] += 1
        if bad:
            gens_bad[g] += 1
            years_bad[y] += 1

    def split(total, bad, key):
        out = []
        for k in sorted(total):
            out.append({key: k, "records": bad[k], "status": "with findings"})
            out.append({key: k, "records": total[k] - bad[k], "status": "clean"})
        return out

    status = alt.Color(
        "status:N",
        scale=alt.Scale(domain=["with findings", "clean"], range=["#d9534f", "#9fc5a8"]),
        legend=alt.Legend(orient="top", title=None),
    )
    specs = {
        "rules": alt.Chart(alt.Data(values=per_rule), title="Findings per rule")
        .mark_bar()
        .encode(
            x=alt.X("findings:Q", title="findings"),
            y=alt.Y("rule:N", sort="-x", title=None),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(
                    domain=["error", "warning", "info"], range=["#c9302c", "#ec971f", "#31b0d5"]
                ),
                legend=alt.Legend(orient="top", title=None),
            ),
            tooltip=["rule:N", "findings:Q"],
        )
        .properties(width=360),
        "generations": alt.Chart(
            alt.Data(values=split(gens, gens_bad, "generation")),
            title="Records by generation",
        )
        .mark_bar()
        .encode(
            x=alt.X("records:Q", stack="zero"),
            y=alt.Y("generation:N", title=None),
            color=status,
        )
        .properties(width=300),
        "years": alt.Chart(
            alt.Data(values=split(years, years_bad, "year")), title="Records by publication year"
        )
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("records:Q", stack="zero"),
            color=status,
        )
        .properties(width=max(200, min(900, 14 * len(years))), height=180),
    }
    shown = [
        (name, chart.to_dict()) for name, chart in specs.items() if per_rule or name != "rules"
    ]
    return dict(zip([name for name, _ in shown], to_svg([spec for _, spec in shown])))


def to_svg(specs: list[dict]) -> list[str]:
    """Vega-Lite specs as SVG, rendered by vl-convert in a forked process
    where the platform forks: vl-convert starts V8 and tokio threads that
    live as long as the process that rendered, and a process with threads
    must not fork (a long-lived one lints again later: ``--watch``, the
    Python API). Elsewhere, or when that process fails, here."""
    return in_parts(_svgs, specs, 1, here=False)


def _svgs(specs: list[dict]) -> list[str]:
    import vl_convert as vlc

    return [vlc.vegalite_to_svg(spec) for spec in specs]


META_KEYS = frozenset(
    ("figid", "figtitle", "year", "organisms", "pmcid", "papertitle", "doi", "figlink", "caption")
)
_TOP_KEY = re.compile(r"""^(?:'([^']*)'|"([^"]*)"|([^\s#'"\-?:][^:]*?))\s*:(?:\s|$)""")


def _metadata(filename: str) -> dict:
    """The fields of the record the report shows, as plain data ({} when the
    file cannot be read). Only their top-level entries are parsed (a record's
    gene lists are most of its text); should that cut go wrong, the whole
    record is read."""
    if not filename.endswith(".md"):
        return {}

    try:
        text = read_regular(filename, 4 * 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return {}
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    lines = text[text.find("\n") + 1 : end if end >= 0 else len(text)].split("\n")
    kept, keep = [], False
    for line in lines:
        if line[:1] not in ("", " ", "\t", "-", "#"):
            m = _TOP_KEY.match(line)
            keep = bool(m) and (m.group(1) or m.group(2) or m.group(3) or "") in META_KEYS
        if keep:
            kept.append(line)
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load("\n".join(kept), Loader=loader)  # noqa: S506 - a safe loader
    except Exception:  # noqa: BLE001 - not this simple: read the record properly
        data = None
    if isinstance(data, dict):
        return data
    return _full_metadata(filename)


def _full_metadata(filename: str) -> dict:

    try:
        rec = read_file(Path(filename), filename).record
    except Exception:  # noqa: BLE001 - unreadable: the findings say why
        return {}
    return rec.data if rec is not None and isinstance(rec.data, dict) else {}


def _figid(value, filename: str) -> str:
    """The row's figid: the record's own when it is a non-empty string, else
    the file's name (a malformed figid, a list say, is ID101's to report;
    the row and its anchor still need a name)."""
    if isinstance(value, str) and value.strip():
        return value
    return Path(filename).stem


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _year(value) -> str:
    """A publication year for the table and the chart: 4 digits, else ''."""
    text = _text(value).strip()
    return text if len(text) == 4 and text.isdigit() else ""


def _organisms(value) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return _text(value)
