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

The mutators and the checks are shared with the property-based tests
(``tests/test_properties.py``), which run a bounded number of them in the
suite.
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
    args = ap.parse_args(argv)
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
