"""Fuzz pfocr-lint with mutated real records and sidecar tables.

    python tools/fuzz.py --minutes 10            # before a release
    python tools/fuzz.py --inputs 100000 --seed 7

Each input is a real record (``seeds/`` and ``tests/fixtures/corpus/``)
mutated a few times over (byte flips, truncation, spliced YAML snippets, type
swaps, line shuffles, encodings) and linted with every rule, in process; one
input in eight also gets a mutated sidecar table and goes through the file
system (the ``_figures/`` + ``_data/`` layout). An input fails when linting
raises or reports an internal error, when a finding's location lies outside
its file, when a fix's edit lies outside the text, or when its JSON cannot be
written as UTF-8. Failing inputs are saved under ``--crashers`` (default
``fuzz-crashers/``, ignored by git) with the reason; the run prints how many
inputs ran and failed, and exits 1 when any did.

``--fix-safety`` fuzzes ``--fix --unsafe-fixes`` instead::

    python tools/fuzz.py --fix-safety --n 50000 --seed 1 [--jobs 2]

Input ``k`` of seed ``s`` is a real record with defects that make the fixing
rules fire (a wrong alias, a description that is not the caption, a missing
or repeated keyword, R's NA, odd whitespace, a repeated chemical or gene),
string values restyled (quoted, block scalars, comments), sometimes deep
nesting or a block collection moved far right, sub-trees (``schema-jsonld``,
``genes``, the whole front matter...) rewritten in flow style on one long line
or folded, CRLF line endings, values of 2,000+ characters, and now and then a
byte-level mutation above. It is fixed in process (``Linter`` + ``fix_text``,
every rule) and fails when fixing raises or reports an internal error, when
the fixed front matter no longer parses, when its line endings are mixed,
when a pass changes data its edits and findings were not about
(``linter.edits.verify_fix``), or when fixing the fixed text changes it again.
Counts by kind are printed as JSON; failing inputs (with ``fixed.md`` and
``reason.txt``) go under ``--crashers`` (default ``fix-safety-crashers/``),
``--max-crashers`` per kind. Inputs depend on ``--seed`` and ``k`` only, so
``--jobs`` does not change them.

The mutators and the checks are shared with the property-based tests
(``tests/test_properties.py``, ``tests/test_fix_safety.py``), which run a
bounded number of them in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linter.base.textsafe import json_text  # noqa: E402
from linter.engine import Linter, Settings  # noqa: E402
from linter.engine.serialize import finding_dict  # noqa: E402
from linter.rules.registry import all_rules  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus"

# YAML that a record must survive anywhere: every feature the reader rejects or
# special-cases, and the shapes upstream writers produce
SNIPPETS = [
    "a: &x 1\nb: *x\n",
    "<<: {figid: x}\n",
    "k: !!python/object:os.system x\n",
    "k: !custom 1\n",
    "? [a, b]\n: c\n",
    "k: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    "k: " + "{a: " * 60 + "1" + "}" * 60 + "\n",
    "figid: dup\nfigid: dup\n",
    "---\n",
    "...\n",
    "k: |\n  block\n  text\n",
    "k: >-\n  folded\n\n  text\n",
    "\tk: tab\n",
    "k: 'unclosed\n",
    'k: "esc \\x1b \\u0007 \\U0001F600"\n',
    "k: 0x1F\n",
    "k: 1e400\n",
    "k: .nan\n",
    "k: 2024-01-01T00:00:00Z\n",
    "k: ~\n",
    "k: 012\n",
    "k: yes\n",
    "- item\n",
    "# pfocr-lint: disable=NA101,XX999\n",
    "k: x  # pfocr-lint: disable=ID105\n",
    "genes:\n- {word: A, symbol: B, source: hgnc_symbol, hgnc_symbol: B, entrez: '1'}\n",
    "genes: NA\n",
    "chemicals:\n- word: x\n  source: MESH\n  identifier: D000001\n",
    "schema-jsonld:\n  keywords: [1, null, [a]]\n",
    "keywords: .na.character\n",
    "organisms: [NA, NA]\n",
    "\ufeff",
    "\r\n",
    "\x00",
    "\u0085\u2028",
    "k: \udcff\n",
]
TYPE_VALUES = [
    "",
    "''",
    "NA",
    ".na.character",
    "~",
    "null",
    "0",
    "-1",
    "1.5",
    "true",
    "[]",
    "{}",
    "[a, 1, null]",
    "{a: 1}",
    "\n  - x\n  - 2",
    "\n  k: v",
    "|\n  multi\n  line",
    "'x' # comment",
    '"\\t\\x1b"',
    "@bad",
    "*alias",
    "&anchor v",
]


def load_seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of the real records mutations start from."""
    paths = sorted((ROOT / "seeds").glob("*.md")) + sorted((CORPUS / "_figures").glob("*.md"))
    return [(p.name, p.read_bytes()) for p in paths]


def front_matter(raw: bytes):
    """The front matter of a record as plain data (None when unreadable)."""
    from linter.reading.reader import parse_bytes

    rec = parse_bytes(raw, "x.md").record
    return rec.data if rec is not None else None


def load_tables() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((CORPUS / "_data").glob("*.tsv"))]


# -- mutators: each takes bytes and a random.Random, returns bytes ----------------------
def flip_bytes(raw: bytes, rng) -> bytes:
    if not raw:
        return bytes([rng.randrange(256)])
    b = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def truncate(raw: bytes, rng) -> bytes:
    return raw[: rng.randint(0, len(raw))]


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


def splice_snippet(raw: bytes, rng) -> bytes:
    lines = _lines(raw)
    at = rng.randint(0, len(lines))
    snippet = rng.choice(SNIPPETS).encode("utf-8", "surrogateescape")
    indent = b" " * rng.choice((0, 0, 0, 2, 4))
    snippet = b"\n".join(indent + s for s in snippet.split(b"\n"))
    return b"\n".join([*lines[:at], snippet.rstrip(b"\n"), *lines[at:]])


def swap_type(raw: bytes, rng) -> bytes:
    """A ``key: value`` line's value replaced by a value of another type."""
    lines = _lines(raw)
    keyed = [i for i, ln in enumerate(lines) if b": " in ln or ln.rstrip().endswith(b":")]
    if not keyed:
        return raw
    i = rng.choice(keyed)
    key = lines[i].split(b":", 1)[0]
    lines[i] = key + b": " + rng.choice(TYPE_VALUES).encode()
    return b"\n".join(lines)


def delete_lines(raw: bytes, rng) -> bytes:
    lines = _lines(raw)
    if len(lines) < 2:
        return raw
    a = rng.randrange(len(lines))
    del lines[a : a + rng.randint(1, 4)]
    return b"\n".join(lines)


def duplicate_lines(raw: bytes, rng) -> bytes:
    lines = _lines(raw)
    a = rng.randrange(len(lines))
    chunk = lines[a : a + rng.randint(1, 6)]
    at = rng.randint(0, len(lines))
    return b"\n".join([*lines[:at], *chunk, *lines[at:]])


def reindent(raw: bytes, rng) -> bytes:
    lines = _lines(raw)
    i = rng.randrange(len(lines))
    delta = rng.choice((-2, -1, 1, 2, 4))
    ln = lines[i]
    lines[i] = ln[-delta:] if delta < 0 and ln.startswith(b" " * -delta) else b" " * delta + ln
    return b"\n".join(lines)


def insert_text(raw: bytes, rng) -> bytes:
    at = rng.randint(0, len(raw))
    junk = rng.choice(
        [b":", b"- ", b"[", b"]", b"{", b"}", b"'", b'"', b"#", b"&", b"*", b"!", b"|", b"\t",
         b"\r", b"---", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80\xa8", b"\x1b[31m", "é".encode()]
    )  # fmt: skip
    return raw[:at] + junk * rng.randint(1, 3) + raw[at:]


def line_endings(raw: bytes, rng) -> bytes:
    return raw.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n")))


def reencode(raw: bytes, rng) -> bytes:
    text = raw.decode("utf-8", "replace")
    return text.encode(rng.choice(("utf-16", "latin-1", "cp1252")), "replace")


RECORD_MUTATORS = [
    flip_bytes,
    truncate,
    splice_snippet,
    splice_snippet,
    swap_type,
    swap_type,
    swap_type,
    delete_lines,
    duplicate_lines,
    reindent,
    insert_text,
    line_endings,
    reencode,
]


def swap_cell(raw: bytes, rng) -> bytes:
    """A table cell replaced (tabs, NA, empty, odd text), or a row's width changed."""
    lines = _lines(raw)
    i = rng.randrange(len(lines))
    cells = lines[i].split(b"\t")
    j = rng.randrange(len(cells))
    cells[j] = rng.choice([b"", b"NA", b"x\ty", b"0", b"-1", b"\xff", b"D000001", b" A "])
    if rng.random() < 0.2:
        cells = cells[: rng.randint(0, len(cells))]
    lines[i] = b"\t".join(cells)
    return b"\n".join(lines)


TABLE_MUTATORS = [flip_bytes, truncate, delete_lines, duplicate_lines, swap_cell, line_endings]


def mutate(raw: bytes, rng, mutators=RECORD_MUTATORS, rounds: int | None = None) -> bytes:
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        raw = rng.choice(mutators)(raw, rng)
    return raw


# -- checks ---------------------------------------------------------------------------------
class Failure(Exception):
    pass


def _file_lines(raw: bytes) -> list[str]:
    return raw.decode("utf-8", "replace").split("\n")


def check_result(res, texts: dict[str, bytes]) -> None:
    """``res`` (a FileResult) is sound for the files whose bytes ``texts``
    holds: no error, every location inside its file, fixes inside the text,
    JSON writable as UTF-8."""
    if res.error:
        raise Failure(f"error: {res.error}")
    for f in res.findings:
        raw = texts.get(f.filename)
        s = f.span
        if raw is not None and s is not None:
            lines = _file_lines(raw)
            if not 1 <= s.line <= len(lines) or s.end_line < s.line or s.end_line > len(lines):
                raise Failure(f"{f.code} line {s.line}-{s.end_line} outside 1..{len(lines)}")
            if not 1 <= s.col <= len(lines[s.line - 1]) + 1:
                raise Failure(f"{f.code} column {s.col} outside line {s.line}")
            if s.end_col < 1 or s.end_col > len(lines[s.end_line - 1]) + 2:
                raise Failure(f"{f.code} end column {s.end_col} outside line {s.end_line}")
            if s.end_line == s.line and s.end_col < s.col:
                raise Failure(f"{f.code} ends before it starts")
        if f.fix is not None and raw is not None:
            size = len(raw.decode("utf-8", "replace"))
            for e in f.fix.edits:
                if not 0 <= e.start <= e.end <= size:
                    raise Failure(f"{f.code} fix edit {e.start}..{e.end} outside 0..{size}")
        json_text(finding_dict(f, res.generation)).encode("utf-8")


def make_linter() -> Linter:
    return Linter(Settings(select=frozenset(all_rules())))


def run_record(linter: Linter, raw: bytes, name: str) -> None:
    """Lint record bytes in process (as ``read_file`` would read them)."""
    from linter.reading.reader import parse_bytes

    result = parse_bytes(raw, name)
    res = linter._lint_read(result, name, None)
    check_result(res, {name: raw})


def run_collection(linter: Linter, folder: Path, raw: bytes, name: str, tables) -> None:
    """Lint a record with its (mutated) sidecar tables through the file system."""
    figures, data = folder / "_figures", folder / "_data"
    for d in (figures, data):
        d.mkdir(exist_ok=True)
        for p in d.iterdir():
            p.unlink()
    stem = name[:-3]
    (figures / name).write_bytes(raw)
    texts = {f"_figures/{name}": raw}
    for kind, table in tables.items():
        path = data / f"{stem}-{kind}.tsv"
        path.write_bytes(table)
        texts[f"_data/{path.name}"] = table
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        res = linter.lint_file(Path("_figures", name), f"_figures/{name}")
    finally:
        os.chdir(cwd)
    check_result(res, texts)


def one_input(linter, rng, seeds, tables, folder: Path | None):
    """Run one random input; returns (kind, name, bytes, tables) for a crasher."""
    name, raw = rng.choice(seeds)
    raw = mutate(raw, rng)
    if folder is not None and tables and rng.random() < 0.125:
        kinds = {}
        for kind in ("genes", "chemicals", "diseases"):
            if rng.random() < 0.6:
                src = rng.choice([t for n, t in tables if n.endswith(f"-{kind}.tsv")] or [b""])
                kinds[kind] = mutate(src, rng, TABLE_MUTATORS, rng.randint(0, 3))
        # a record without inline lists, so that its tables are read
        name = "PMC1__fuzz.md"
        return ("collection", name, raw, kinds), lambda: run_collection(
            linter, folder, raw, name, kinds
        )
    return ("record", name, raw, {}), lambda: run_record(linter, raw, name)


# -- fix safety: does --fix keep a record valid, stable and the same elsewhere? -------------
# Mutations of real records in the shapes that trouble a fixer (flow style, CRLF,
# very long lines, deep nesting) plus defects that make the fixes fire. They work
# on text (str); the reader's positions say where a value stands.
FLOW_TARGETS = (
    "",
    "/schema-jsonld",
    "/schema-jsonld",
    "/schema-jsonld/keywords",
    "/schema-jsonld/creator",
    "/genes",
    "/chemicals",
    "/diseases",
    "/organisms",
    "/organisms_ner",
    "/genes/0",
    "/chemicals/0",
)
TRICKY_TEXTS = [
    "plain words",
    "a: b, c [d] {e} # f",
    "it's \u201cquoted\u201d 'here' and \"there\"",
    "- starts like an item",
    "yes",
    "1.5",
    "line one\nline two",
    "tab\there",
    "trailing  ",
    "  leading and  doubled  spaces",
    "caf\u00e9 \u03b1-\u03b2 \u2192 \u00b5M",
    "&anchor *alias !tag |pipe >fold %pct @at `tick",
    "ends with a colon:",
    "...",
    "--- a",
    "NEL\u0085here",
]


def _record(text: str):
    from linter.reading.reader import parse_bytes

    try:
        return parse_bytes(text.encode("utf-8", "surrogatepass"), "x.md").record
    except Exception:  # noqa: BLE001 - a mutated text the reader cannot take: no change
        return None


def _get(data, path: str):
    node = data
    for part in path.split("/")[1:] if path else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return None
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        else:
            return None
    return node


def _flow_text(value, width: int, indent: int) -> str:
    import yaml

    dumped = yaml.safe_dump(
        value, default_flow_style=True, width=width, allow_unicode=True, sort_keys=False
    )
    dumped = dumped.rstrip("\n")
    if dumped.endswith("\n..."):
        dumped = dumped[: -len("\n...")]
    pad = " " * (indent + 2)
    return "\n".join([ln if i == 0 else pad + ln for i, ln in enumerate(dumped.split("\n"))])


def to_flow(text: str, rng) -> str:
    """A block mapping or sequence (schema-jsonld, genes, the whole front
    matter...) rewritten in flow style, on one long line or folded at 80."""
    rec = _record(text)
    if rec is None:
        return text
    targets = [
        t for t in FLOW_TARGETS if isinstance(_get(rec.data, t), (dict, list)) and _get(rec.data, t)
    ]
    if not targets:
        return text
    path = rng.choice(targets)
    width = rng.choice((80, 10**9))
    if not path:
        body = _flow_text(rec.data, width, -2)
        return text[: rec.fm_start] + body + "\n" + text[rec.fm_end :]
    span = rec.pos.get(path)
    if span is None or text[span.start : span.start + 1] in "[{":
        return text
    key = rec.keypos.get(path)
    indent = (key.col - 1) if key is not None else span.col - 1
    flow = _flow_text(_get(rec.data, path), width, indent)
    colon = text.find(":", key.end) if key is not None else -1
    if 0 <= colon < span.start:  # `key: {...}` on the key's line
        return text[:colon] + ": " + flow + text[span.end :]
    return text[: span.start] + flow + text[span.end :]


def _set_value(text: str, rec, path: str, value) -> str:
    """The scalar at ``path`` replaced by ``value``, written as JSON (a
    double-quoted YAML scalar) or, when that reads back the same, plainly."""
    span = rec.pos.get(path)
    if span is None or isinstance(_get(rec.data, path), (dict, list)):
        return text
    written = json.dumps(value, ensure_ascii=False)
    return text[: span.start] + written + text[span.end :]


def _item_bounds(text: str, rec, path: str):
    """(start, end) of a block sequence item's lines, or None (flow)."""
    span = rec.pos.get(path)
    if span is None:
        return None
    start = text.rfind("\n", 0, span.start) + 1
    if text[start : span.start].strip() != "-":
        return None
    nl = text.find("\n", max(span.start, span.end - 1))
    return start, (len(text) if nl == -1 else nl + 1)


def _flow_item(text: str, rec, path: str):
    span = rec.pos.get(path)
    return None if span is None else (span.start, span.end)


def duplicate_item(text: str, rec, path: str) -> str:
    block = _item_bounds(text, rec, path)
    if block is not None:
        a, b = block
        return text[:b] + text[a:b] + text[b:]
    item = _flow_item(text, rec, path)
    if item is None:
        return text
    a, b = item
    return text[:b] + ", " + text[a:b] + text[b:]


def remove_item(text: str, rec, path: str) -> str:
    block = _item_bounds(text, rec, path)
    if block is not None:
        return text[: block[0]] + text[block[1] :]
    item = _flow_item(text, rec, path)
    if item is None:
        return text
    a, b = item
    rest = text[b:].lstrip(" ")
    if rest.startswith(","):
        return text[:a] + rest[1:].lstrip(" ")
    before = text[:a].rstrip(" ")
    if before.endswith(","):
        return before[:-1] + text[b:]
    return text


def _pick(rng, data, path: str):
    items = _get(data, path)
    return rng.randrange(len(items)) if isinstance(items, list) and items else None


def add_defect(text: str, rng) -> str:
    """A defect one of the fixing rules (ID, KW, NA, MD, CH, GN) repairs."""
    rec = _record(text)
    if rec is None or not isinstance(rec.data, dict):
        return text
    data = rec.data
    kind = rng.randrange(14)
    sj = data.get("schema-jsonld") if isinstance(data.get("schema-jsonld"), dict) else {}
    if kind == 0:
        return _set_value(text, rec, "/figid_alias", "PMC1__F99")
    if kind == 1:
        return _set_value(text, rec, "/redirect_from", "/figure/x")
    if kind == 2 and isinstance(data.get("figlink"), str):
        return _set_value(text, rec, "/figlink", data["figlink"].lstrip("/"))
    if kind == 3:
        return _set_value(text, rec, "/schema-jsonld/@id", "https://example.org/x")
    if kind == 4:  # description differs from the caption; a tricky caption
        if rng.random() < 0.5:
            caption = rng.choice(TRICKY_TEXTS)
            if rng.random() < 0.3:
                caption = (caption + " ") * rng.randint(60, 200)
            text = _set_value(text, rec, "/caption", caption.strip() or "x")
            rec = _record(text)
            if rec is None:
                return text
        return _set_value(text, rec, "/schema-jsonld/description", "Another description.")
    if kind == 5:
        key = rng.choice(("license", "@type", "name", "@context"))
        if key in sj:
            return _set_value(text, rec, f"/schema-jsonld/{key}", rng.choice(TRICKY_TEXTS))
        return text
    if kind == 6:  # a keyword missing (KW101)
        i = _pick(rng, data, "/schema-jsonld/keywords")
        return text if i is None else remove_item(text, rec, f"/schema-jsonld/keywords/{i}")
    if kind == 7:  # a keyword twice (KW103)
        i = _pick(rng, data, "/schema-jsonld/keywords")
        return text if i is None else duplicate_item(text, rec, f"/schema-jsonld/keywords/{i}")
    if kind == 8:  # R's NA placeholder (NA101)
        choices = ["/doi", "/journal_title", "/keywords", "/year", "/schema-jsonld/license"]
        for lst in ("/organisms", "/schema-jsonld/keywords", "/organisms_ner"):
            i = _pick(rng, data, lst)
            if i is not None:
                choices.append(f"{lst}/{i}")
        i = _pick(rng, data, "/genes")
        if i is not None:
            choices.append(f"/genes/{i}/word")
        return _set_value(text, rec, rng.choice(choices), ".na.character")
    if kind == 9:  # a textual null (NA102)
        i = _pick(rng, data, "/organisms")
        path = f"/organisms/{i}" if i is not None else "/figtitle"
        return _set_value(text, rec, path, "NA")
    if kind == 10:  # odd whitespace (MD111)
        i = _pick(rng, data, "/schema-jsonld/keywords")
        path = rng.choice(
            ["/papertitle", "/figtitle"]
            + ([f"/schema-jsonld/keywords/{i}"] if i is not None else [])
        )
        value = _get(data, path)
        if isinstance(value, str) and " " in value.strip():
            return _set_value(text, rec, path, " " + value.replace(" ", "  ", 1) + " ")
        return text
    if kind == 11:  # a chemical twice (CH104)
        i = _pick(rng, data, "/chemicals")
        return text if i is None else duplicate_item(text, rec, f"/chemicals/{i}")
    if kind == 12:  # a gene twice (GN, unsafe)
        i = _pick(rng, data, "/genes")
        return text if i is None else duplicate_item(text, rec, f"/genes/{i}")
    # a value of 2,000+ characters (a long line, or a long folded scalar)
    path = rng.choice(["/caption", "/papertitle", "/schema-jsonld/description", "/reftext"])
    words = rng.choice(TRICKY_TEXTS[:6])
    return _set_value(text, rec, path, " ".join([words] * rng.randint(120, 400)))


def restyle(text: str, rng) -> str:
    """A string value written in another style: single- or double-quoted, a
    literal or folded block scalar, or followed by a comment."""
    rec = _record(text)
    if rec is None or not isinstance(rec.data, dict):
        return text
    paths = [
        f"/{k}"
        for k, v in rec.data.items()
        if isinstance(k, str) and isinstance(v, str) and "/" not in k and "~" not in k
    ]
    sj = rec.data.get("schema-jsonld")
    if isinstance(sj, dict):
        paths += [
            f"/schema-jsonld/{k}"
            for k, v in sj.items()
            if isinstance(k, str) and isinstance(v, str) and "/" not in k and "~" not in k
        ]
        i = _pick(rng, rec.data, "/schema-jsonld/keywords")
        if i is not None:
            paths.append(f"/schema-jsonld/keywords/{i}")
    if not paths:
        return text
    path = rng.choice(paths)
    value, span = _get(rec.data, path), rec.pos.get(path)
    if not isinstance(value, str) or span is None or "\n" in value:
        return text
    parent = rec.pos.get(path.rpartition("/")[0])
    flow = parent is not None and text[parent.start : parent.start + 1] in "[{"
    line_end = text.find("\n", span.end)
    at_end = line_end != -1 and not text[span.end : line_end].strip(" \r")
    style = rng.randrange(4 if flow else 5)
    if style == 0:
        new = "'" + value.replace("'", "''") + "'"
    elif style == 1:
        new = json.dumps(value, ensure_ascii=rng.random() < 0.5)
    elif style == 2 and at_end:
        return text[: span.end] + "  # a comment, " + text[span.end :]
    elif style in (3, 4) and not flow and value.strip() == value and value:
        key = rec.keypos.get(path)
        pad = " " * ((key.col - 1 if key is not None else span.col - 1) + 2)
        eol = "\r\n" if "\r\n" in text else "\n"
        new = rng.choice(("|-", ">-")) + eol + pad + value
    else:
        return text
    return text[: span.start] + new + text[span.end :]


def deep_nesting(text: str, rng) -> str:
    """A key with collections nested 5 to 110 deep (block or flow), or a block
    list indented far to the right (keys past column 200)."""
    close = text.find("\n---", 4)
    if close == -1:
        return text
    at = close + 1
    depth = rng.randint(5, 110)
    if rng.random() < 0.4:  # a block collection moved right, by an odd amount too
        rec = _record(text)
        keys = ("genes", "chemicals", "organisms", "schema-jsonld")
        keys = [k for k in keys if rec is not None and isinstance(rec.data.get(k), (list, dict))]
        if rec is not None and keys:
            key = rng.choice(keys)
            span = rec.pos.get(f"/{key}")
            value = text[span.start : span.end]
            if value[:1] not in ("[", "{", ""):
                pad = " " * rng.choice((1, 3, rng.randint(50, 1200)))
                lines = value.split("\n")
                first = text.rfind("\n", 0, span.start) + 1
                lines[0] = text[first : span.start] + lines[0]  # the first line's indent
                moved = "\n".join(pad + ln if ln.strip() else ln for ln in lines)
                key_at = rec.keypos[f"/{key}"].start
                return text[:key_at] + f"{key}:\n" + moved + text[span.end :]
    if rng.random() < 0.5:
        nested = "x-deep: " + "[" * depth + "a" + "]" * depth + "\n"
    else:
        nested = (
            "x-deep:\n"
            + "".join("  " * i + f"k{i}:\n" for i in range(1, depth))
            + "  " * depth
            + "v: 1\n"
        )
    return text[:at] + nested + text[at:]


def crlf(text: str, rng) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def mutate_for_fixes(raw: bytes, rng) -> bytes:
    """Defects first (on the upstream layout), then the layouts that trouble
    a fixer, then now and then one of the byte-level mutations above."""
    text = raw.decode("utf-8", "surrogateescape")
    for _ in range(rng.randint(1, 4)):
        text = add_defect(text, rng)
    for _ in range(rng.choice((0, 0, 1, 3))):
        text = restyle(text, rng)
    if rng.random() < 0.15:
        text = deep_nesting(text, rng)
    for _ in range(rng.choice((0, 1, 1, 2))):
        text = to_flow(text, rng)
    if rng.random() < 0.3:  # a defect in the new layout
        text = add_defect(text, rng)
    if rng.random() < 0.3:
        text = crlf(text, rng)
    out = text.encode("utf-8", "surrogateescape")
    if rng.random() < 0.15:
        out = rng.choice(RECORD_MUTATORS)(out, rng)
    return out


class _Recorder:
    """A linter that remembers what ``fix_text`` asked it to lint: one
    ``(text, result)`` per pass, so each pass's edits can be checked."""

    def __init__(self, linter: Linter):
        self.linter = linter
        self.calls: list = []

    def lint_text(self, text, filename, path=None):
        res = self.linter.lint_text(text, filename, path)
        self.calls.append((text, res))
        return res


FIX_KINDS = (
    "exception",
    "internal-error",
    "unparseable",
    "not-converged",
    "line-endings",
    "structure",
)


def check_fix(
    linter: Linter, raw: bytes, name: str, stats: dict | None = None
) -> tuple[str, str, str] | None:
    """Fix ``raw`` as ``check --fix --unsafe-fixes`` does (in process) and
    check the result; (kind, reason, fixed text) of the first failure, or
    None. Inputs that are not UTF-8 are not fixed (as by the CLI). ``stats``
    counts the inputs fixed (``"fixed"``) and, by rule code, the fixes
    offered on the input (``"codes"``)."""
    from linter.engine import MAX_FIX_PASSES, applicable, fix_text
    from linter.rules.edits import mixed_line_endings, parse_problem, verify_fix

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fixed = text
    try:
        rec = _Recorder(linter)
        res, fixed, count = fix_text(rec, text, name, None, True)
        if res.error:
            return "internal-error", res.error, fixed
        if not count:
            return None
        if stats is not None:
            stats["fixed"] = stats.get("fixed", 0) + 1
            codes = stats.setdefault("codes", {})
            for f in rec.calls[0][1].findings:
                if applicable(f.fix, True):
                    codes[f.code] = codes.get(f.code, 0) + 1
        if _record(text) is not None:
            why = parse_problem(fixed)
            if why:
                return "unparseable", why, fixed
        why = mixed_line_endings(text, fixed)
        if why:
            return "line-endings", why, fixed
        for (before, result), (after, _) in zip(rec.calls, rec.calls[1:]):
            if after == before:
                continue
            fixes = [f for f in result.findings if applicable(f.fix, True)]
            why = verify_fix(
                before,
                after,
                [e for f in fixes for e in f.fix.edits],
                [f.path for f in fixes],
            )
            if why:
                kind = "unparseable" if "does not parse" in why else "structure"
                return kind, f"pass {rec.calls.index((before, result)) + 1}: {why}", fixed
        passes = sum(1 for a, b in zip(rec.calls, rec.calls[1:]) if a[0] != b[0])
        again = _Recorder(linter)
        res2, fixed2, count2 = fix_text(again, fixed, name, None, True)
        if res2.error:
            return "internal-error", res2.error, fixed
        if fixed2 != fixed:
            return (
                "not-converged",
                f"after {passes} pass(es) (limit {MAX_FIX_PASSES}) a second run applies "
                f"{count2} more fix(es): "
                + ", ".join(sorted({f.code for f in again.calls[0][1].findings if f.fix})),
                fixed,
            )
    except Exception as exc:  # noqa: BLE001 - every failure is a finding
        return "exception", f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}", fixed
    return None


def _fix_input(seed: int, k: int, seeds) -> tuple:
    """Input ``k`` of a run: the same bytes whatever the number of jobs."""
    rng = random.Random(f"{seed}-{k}")
    name, raw = rng.choice(seeds)
    return name, mutate_for_fixes(raw, rng)


_FIX_STATE: dict = {}


def _fix_chunk(args) -> tuple[int, dict, list, dict]:
    """Run inputs ``lo..hi`` (in a worker): (how many, failures by kind,
    [(k, kind, reason, name, raw, fixed)] of the failures, stats)."""
    seed, lo, hi = args
    linter, seeds = _FIX_STATE["linter"], _FIX_STATE["seeds"]
    kinds: dict[str, int] = {}
    failures = []
    stats: dict = {}
    for k in range(lo, hi):
        name, raw = _fix_input(seed, k, seeds)
        found = check_fix(linter, raw, name, stats)
        if found is not None:
            kind, reason, fixed = found
            kinds[kind] = kinds.get(kind, 0) + 1
            failures.append((k, kind, reason, name, raw, fixed))
    return hi - lo, kinds, failures, stats


def save_fix_failure(out: Path, k: int, kind: str, reason: str, name: str, raw: bytes, fixed):
    where = out / f"{kind}-{k:07d}"
    where.mkdir(parents=True, exist_ok=True)
    (where / name).write_bytes(raw)
    (where / "fixed.md").write_bytes(fixed.encode("utf-8", "surrogatepass"))
    (where / "reason.txt").write_text(reason, encoding="utf-8", errors="backslashreplace")
    return where


def fix_safety(args) -> int:
    """``--fix-safety``: inputs 0..n-1 of seed ``--seed``, in ``--jobs``
    processes; prints the counts (inputs, fixed, failures by kind) as JSON and
    saves up to ``--max-crashers`` failing inputs per kind under
    ``--crashers`` (each with its fixed text and the reason)."""
    seed = args.seed if args.seed is not None else time.time_ns() % 2**32
    total = args.inputs or 10_000
    _FIX_STATE["linter"] = make_linter()
    _FIX_STATE["seeds"] = load_seeds()
    out = Path(args.crashers if args.crashers != "fuzz-crashers" else "fix-safety-crashers")
    step = 200
    chunks = [(seed, lo, min(lo + step, total)) for lo in range(0, total, step)]
    started = time.monotonic()
    done = 0
    kinds: dict[str, int] = {}
    saved: dict[str, int] = {}
    fixed_inputs = 0
    codes: dict[str, int] = {}
    if args.jobs > 1:
        import multiprocessing as mp

        pool = mp.get_context("fork").Pool(args.jobs)
        results = pool.imap_unordered(_fix_chunk, chunks)
    else:
        pool, results = None, map(_fix_chunk, chunks)
    try:
        for n, found, failures, stats in results:
            done += n
            fixed_inputs += stats.get("fixed", 0)
            for code, c in stats.get("codes", {}).items():
                codes[code] = codes.get(code, 0) + c
            for kind, c in found.items():
                kinds[kind] = kinds.get(kind, 0) + c
            for k, kind, reason, name, raw, fixed in failures:
                if saved.get(kind, 0) < args.max_crashers:
                    saved[kind] = saved.get(kind, 0) + 1
                    where = save_fix_failure(out, k, kind, reason, name, raw, fixed)
                    print(f"FAIL input {k} [{kind}]: {reason.splitlines()[0][:160]} ({where})")
            if done % 10_000 < step:
                rate = done / (time.monotonic() - started)
                print(f"{done} inputs, {sum(kinds.values())} failed ({rate:.0f}/s)", flush=True)
    finally:
        if pool is not None:
            pool.terminate()
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "mode": "fix-safety",
                "inputs": done,
                "fixed": fixed_inputs,
                "failed": sum(kinds.values()),
                "by_kind": {k: kinds.get(k, 0) for k in FIX_KINDS},
                "seconds": round(elapsed, 1),
                "per_second": round(done / elapsed) if elapsed else None,
                "seed": seed,
                "jobs": args.jobs,
                "fixes_offered_by_code": dict(sorted(codes.items())),
            }
        )
    )
    return 1 if kinds else 0


def save_crasher(out: Path, n: int, case, reason: str) -> Path:
    kind, name, raw, tables = case
    where = out / f"{n:07d}-{kind}"
    where.mkdir(parents=True, exist_ok=True)
    (where / name).write_bytes(raw)
    for k, t in tables.items():
        (where / f"{name[:-3]}-{k}.tsv").write_bytes(t)
    (where / "reason.txt").write_text(reason, encoding="utf-8", errors="backslashreplace")
    return where


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz pfocr-lint with mutated real records.")
    ap.add_argument("--minutes", type=float, help="stop after this long")
    ap.add_argument("--inputs", type=int, help="stop after this many inputs")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    ap.add_argument("--crashers", default="fuzz-crashers", help="where failing inputs go")
    ap.add_argument("--max-crashers", type=int, default=50)
    ap.add_argument(
        "--fix-safety",
        action="store_true",
        help="fix mutated records (flow style, CRLF, long lines, deep nesting, defects) "
        "with every rule and --unsafe-fixes, and check each fixed text",
    )
    ap.add_argument("--n", dest="inputs", type=int, help="the same as --inputs")
    ap.add_argument("--jobs", type=int, default=1, help="processes (--fix-safety)")
    args = ap.parse_args(argv)
    if args.fix_safety:
        return fix_safety(args)
    if args.minutes is None and args.inputs is None:
        args.minutes = 1.0
    seed = args.seed if args.seed is not None else time.time_ns() % 2**32
    rng = random.Random(seed)
    seeds, tables = load_seeds(), load_tables()
    linter = make_linter()
    deadline = time.monotonic() + args.minutes * 60 if args.minutes else None
    n = failed = 0
    started = time.monotonic()
    reasons: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="pfocr-fuzz-") as tmp:
        folder = Path(tmp)
        while True:
            if args.inputs is not None and n >= args.inputs:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            case, run = one_input(linter, rng, seeds, tables, folder)
            n += 1
            try:
                run()
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                failed += 1
                reason = f"{type(exc).__name__}: {exc}"
                key = reason.split(":")[0] + ":" + reason.split(":")[1][:60]
                reasons[key] = reasons.get(key, 0) + 1
                if failed <= args.max_crashers:
                    detail = reason + "\n\n" + traceback.format_exc()
                    saved = save_crasher(Path(args.crashers), n, case, detail)
                    print(f"FAIL #{n}: {reason[:200]} (saved to {saved})", flush=True)
            if n % 10000 == 0:
                rate = n / (time.monotonic() - started)
                print(f"{n} inputs, {failed} failed ({rate:.0f}/s)", flush=True)
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "inputs": n,
                "failed": failed,
                "seconds": round(elapsed, 1),
                "per_second": round(n / elapsed) if elapsed else None,
                "seed": seed,
                "reasons": reasons,
            }
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
