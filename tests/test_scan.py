"""The front-matter scanner (linter/reading/scan.py) against libyaml.

``parse_bytes`` reads the shapes PFOCR writes with a scanner and everything
else with libyaml. Both paths must give the same record: values and their
types, key order, positions of every value and key (and of paths that do
not exist), multi-line scalars, issues (FM101-FM106 with their spans and
fixes). Checked on every corpus record, seed and rule fixture case, and on
fuzzed inputs: the fuzzer's mutations (``tools/fuzz.py``) and mutations
aimed at the scanner's edges (plain scalars that resolve to other types,
quoting, folding over lines, indentation, blank lines, trailing blanks,
duplicate keys, comments, document markers...)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS

from linter.reading import scan as scanner
from linter.reading.reader import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import fuzz  # noqa: E402
from rulefixtures import FIXTURES, case_text  # noqa: E402

BOGUS_PATHS = ("x", "/", "/nope", "//", "/genes/01", "/genes/-1", "/genes/999", "/figid/0")


def _paths(data, path=""):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, f"{path}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, f"{path}/{i}")


def _typed(value):
    """A value with its type at every level (1 == 1.0 == True in Python)."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def compare(raw: bytes) -> bool:
    """Assert both paths read ``raw`` alike; True when the scanner read it."""
    fast = parse_bytes(raw, "PMC1__x.md")
    slow = parse_bytes(raw, "PMC1__x.md", scanner=False)
    assert fast.issues == slow.issues
    assert (fast.record is None) == (slow.record is None)
    if fast.record is None:
        return False
    a, b = fast.record, slow.record
    assert _typed(a.data) == _typed(b.data)
    assert (a.fm_start, a.fm_end, a.fm_first_line) == (b.fm_start, b.fm_end, b.fm_first_line)
    for path in [*_paths(b.data), *BOGUS_PATHS]:
        assert a.pos.get(path) == b.pos.get(path), path
        assert a.keypos.get(path) == b.keypos.get(path), path
        assert (path in a.pos) == (path in b.pos)
        assert a.span(path) == b.span(path) and a.span(path, True) == b.span(path, True)
    assert a.multiline_scalars == b.multiline_scalars
    text = a.text[a.fm_start : a.fm_end]
    return scanner.scan(text) is not None


def real_records() -> list[tuple[str, bytes]]:
    out = [(p.name, p.read_bytes()) for p in sorted((CORPUS / "_figures").glob("*.md"))]
    out += [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.md"))]
    return out


def test_corpus_and_seeds_read_alike():
    scanned = sum(compare(raw) for _, raw in real_records())
    # PFOCR's own shape: all but the block scalar record go through the scanner
    assert scanned >= 100


def test_rule_fixture_cases_read_alike():
    import yaml

    n = 0
    for path in sorted(FIXTURES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            n += compare(case_text(case).encode("utf-8", "surrogateescape"))
    assert n > 50


# -- mutations aimed at the scanner ------------------------------------------------------
SCALARS = [
    "1", "-1", "+1", "0x1F", "0o17", "012", "1_000", "1:20", "1.5", "-.5", ".inf", ".NaN",
    "1e3", "1e400", "yes", "No", "TRUE", "off", "On", "y", "n", "~", "null", "Null", "NULL",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "=", "<<", "-x", "-", "?x", "? x", ":x",
    "a:b", "a: b", "x:", "a #b", "a#b", "#c", "'a''b'", "''", "'", "\"a\\tb\"", "\"a'b\"",
    "\"\"", "[]", "{}", "[ ]", "[a]", "{a: 1}", "!x", "!!str 1", "&a x", "*a", "|", ">",
    "%x", "@x", "`x", "a\u00a0b", "\u00a0", "é", "α-β", "a  b", "x ", "'x' ", "'x' y",
    "http://x/y", ".na.character", "NA", "- x", "a - b", "a,b", "a[b]", "a{b}",
]  # fmt: skip
KEYS = [
    "k", "'k'", '"k"', "'k k'", "1", "true", "null", "~", "<<", "=", "-k", "?k", ":k",
    "k k", "k#k", "'a''b'", "@k", "'@k'", "a/b", "a~b", "...k", "---k", "é", "k ",
]  # fmt: skip


def _set_value(lines, rng):
    keyed = [i for i, ln in enumerate(lines) if ": " in ln]
    if keyed:
        i = rng.choice(keyed)
        head = lines[i].split(": ", 1)[0]
        lines[i] = f"{head}: {rng.choice(SCALARS)}"


def _set_item(lines, rng):
    items = [i for i, ln in enumerate(lines) if ln.lstrip(" ").startswith("- ")]
    if items:
        i = rng.choice(items)
        ln = lines[i]
        lines[i] = ln[: len(ln) - len(ln.lstrip(" "))] + "- " + rng.choice(SCALARS)


def _set_key(lines, rng):
    keyed = [i for i, ln in enumerate(lines) if ": " in ln or ln.endswith(":")]
    if keyed:
        i = rng.choice(keyed)
        ln = lines[i]
        lead = len(ln) - len(ln.lstrip(" -"))
        rest = ln[lead:].split(":", 1)[1]
        lines[i] = ln[:lead] + rng.choice(KEYS) + ":" + rest


def _fold(lines, rng):
    """A long value over several lines, plain or quoted, at some indentation."""
    keyed = [i for i, ln in enumerate(lines) if ": " in ln and len(ln) > 20]
    if not keyed:
        return
    i = rng.choice(keyed)
    head, value = lines[i].split(": ", 1)
    q = rng.choice(("", "", "'", '"'))
    if q and not value.startswith(("'", '"')):
        value = q + value.replace(q, q + q if q == "'" else "") + q
    words = value.split(" ")
    out, cur = [], []
    for w in words:
        cur.append(w)
        if rng.random() < 0.3:
            out.append(" ".join(cur))
            cur = []
            if rng.random() < 0.2:
                out.append(" " * rng.randint(0, 3))
    out.append(" ".join(cur))
    ind = len(head) - len(head.lstrip(" -"))
    pad = " " * max(0, ind + rng.choice((-1, 0, 1, 2, 2, 4)))
    lines[i : i + 1] = [f"{head}: {out[0]}"] + [pad + x if x.strip() else x for x in out[1:]]


def _blank(lines, rng):
    lines.insert(rng.randrange(len(lines) + 1), " " * rng.randint(0, 4))


def _trailing(lines, rng):
    i = rng.randrange(len(lines))
    lines[i] += " " * rng.randint(1, 3) + rng.choice(("", "", "# c", "#c"))


def _indent(lines, rng):
    """A line and the lines below it moved right or left together."""
    i = rng.randrange(len(lines))
    delta = rng.choice((-2, 2, 1))
    for k in range(i, min(len(lines), i + rng.randint(1, 8))):
        ln = lines[k]
        lines[k] = ln[-delta:] if delta < 0 and ln.startswith(" " * -delta) else " " * delta + ln


def _duplicate(lines, rng):
    keyed = [i for i, ln in enumerate(lines) if ": " in ln]
    if keyed:
        i = rng.choice(keyed)
        lines.insert(rng.randint(i, min(len(lines), i + 8)), lines[i])


def _nest(lines, rng):
    """A key's value replaced by a block mapping or sequence."""
    keyed = [i for i, ln in enumerate(lines) if ": " in ln]
    if keyed:
        i = rng.choice(keyed)
        head = lines[i].split(": ", 1)[0]
        ind = len(head) - len(head.lstrip(" -"))
        pad = " " * (ind + rng.choice((0, 2, 4)))
        body = rng.choice(
            [[f"{pad}- a", f"{pad}- b: 1", f"{pad}  c: '2'"], [f"{pad}x: 1", f"{pad}y:"], []]
        )
        lines[i : i + 1] = [f"{head}:", *body]


SHAPE_MUTATORS = [_set_value, _set_value, _set_item, _set_key, _fold, _fold, _blank, _trailing]
SHAPE_MUTATORS += [_indent, _duplicate, _nest]


def shape_mutate(raw: bytes, rng) -> bytes:
    text = raw.decode("utf-8", "replace")
    head, sep, rest = text.partition("\n---\n")  # the front matter (after the first '---')
    lines = head.split("\n")
    fm = lines[1:]
    for _ in range(rng.randint(1, 4)):
        if fm:
            rng.choice(SHAPE_MUTATORS)(fm, rng)
    return "\n".join([lines[0], *fm]).encode("utf-8") + (sep + rest).encode("utf-8")


@pytest.mark.parametrize("seed", range(4))
def test_shape_mutations_read_alike(seed):
    rng = random.Random(seed)
    seeds = real_records()
    scanned = 0
    n = 500
    for _ in range(n):
        _, raw = rng.choice(seeds)
        mutated = shape_mutate(raw, rng)
        try:
            scanned += compare(mutated)
        except AssertionError:
            print(mutated.decode("utf-8", "replace"))
            raise
    assert scanned >= n // 4  # the mutations do reach the scanner


@pytest.mark.parametrize("seed", range(2))
def test_fuzz_mutations_read_alike(seed):
    rng = random.Random(100 + seed)
    seeds = fuzz.load_seeds()
    for _ in range(600):
        _, raw = rng.choice(seeds)
        compare(fuzz.mutate(raw, rng))
    for k in range(150):
        compare(fuzz.mutate_for_fixes(rng.choice(seeds)[1], random.Random(seed * 1000 + k)))


def test_scanner_declines_what_it_does_not_read():
    declined = [
        "a: &x 1\nb: *x\n", "k: !t x\n", "k: |\n  x\n", "k: [a]\n", "k: {a: 1}\n",
        "k:\n", "a: 1\na: 2\n", "k: x # c\n", "# c\nk: x\n", "\tk: x\n", "k: x\r\n",
        "k: \"a\\nb\"\n", "- x\n", "x\n", "", "k: 'open\n", "? k\n: v\n", "<<: x\n",
        "k: a\u2028b\n", "\ufeffk: x\n", "... x\n", "k:\n  - - x\n",
    ]  # fmt: skip
    for text in declined:
        assert scanner.scan(text) is None, text
    assert scanner.scan("k: x\nl:\n- a\n- b: 1\n  c: '2'\n") is not None


def test_span_of_a_path_that_is_no_pointer_ends():
    """Record.span walks up to the root; "x" (no '/') used to loop forever."""
    rec = parse_bytes(b"---\nk: v\n---\n", "PMC1__x.md").record
    assert rec.span("x") == rec.pos[""]
    assert rec.span("/k/x/y") == rec.pos["/k"]


def test_positions_after_a_leading_byte_order_mark():
    """libyaml drops a U+FEFF that opens the front matter and counts its
    marks from the next character: positions still point at the text."""
    for text in ("---\n\ufeffk: x\nm: 'z'\n---\n", "\ufeff---\n\ufeffk: x\nm: 'z'\n---\n"):
        rec = parse_bytes(text.encode(), "PMC1__x.md").record
        for path, value, key in (("/k", "x", "k"), ("/m", "'z'", "m")):
            span, kspan = rec.pos[path], rec.keypos[path]
            assert text[span.start : span.end] == value
            assert text[kspan.start : kspan.end] == key
            assert span.col == span.start - text.rfind("\n", 0, span.start)
        root = rec.pos[""]
        assert text[root.start : root.end] == "k: x\nm: 'z'"
    bad = "---\n\ufeffk: [\n---\n"
    [(code, _, span, _)] = parse_bytes(bad.encode(), "PMC1__x.md").issues
    assert code == "FM102" and span.start <= bad.rindex("---")


# -- the runs the scanner reads with one regex, at their edges ----------------------------
# (a run of one-line `- item` lines or `key: value` lines ends at the first line that
# is not one: every document below puts such a line in a run, or at its start or end)
RUN_EDGES = [
    # block-sequence items
    "k:\n- a\n- 'b''c'\n- \"d\"\n- e\n- ''\n- ''''\n- []\n- {}\n- f\n",
    "k:\n- a\n- b: c\n- d\n",
    "k:\n- a\n- b #c\n- d\n",
    "k:\n- a\n\n- b\n  \n- c\n",
    "k:\n- a\n# c\n- b\n",
    "k:\n  - a\n  - b\n   - c\n",
    "k:\n  - a\n  - b\nl:\n- c\n- d\nm: x\n",
    "k:\n- a \n- b\n- c  \n",
    "k:\n- a:\n- b\n",
    "k:\n- a:b\n- b\n",
    "k:\n- a\n  b\n- c\n",
    "k:\n- a\n-  b\n- c\n",
    "k:\n- a\n- [ ]\n- b\n",
    "k:\n- a\n- 'a' # c\n- b\n",
    "k:\n- a\n- 'a'  \n- b\n",
    "k:\n- a\n- 'a' b\n- c\n",
    "k:\n- a\n- 'b\n  c'\n- d\n",
    "k:\n- a\n- '''\n- b\n",
    'k:\n- a\n- "a\\"b"\n- c\n',
    "k:\n- a\n- \"a'b\"\n- 'a\"b'\n- c\n",
    "k:\n- a\n- - x\n",
    "k:\n- a\n-\n- b\n",
    "k:\n- yes\n- 1\n- No\n- 0x1F\n- ~\n- 2001-12-14\n- TP53\n- null\n- .5\n- +1\n- =\n- <<\n",
    "k:\n- Yes\n- on\n- OFF\n- true\n- nO\n- y\n- N\n- Null\n",
    "k:\n- a\n- b\n  # c\n- d\n",
    "k:\n- é\n- α-β\n- a\u00a0b\n- \u00a0\n- a  b\n",
    "k:\n- a\n- b\n...\n",
    "k:\n- a\n- b\n---\n",
    "k:\n- a\n- b\r\n- c\n",
    "k:\n- a\n- b\tc\n- d\n",
    "k:\n- a\n- b\n  - c\n",
    "a:\n  b:\n    - x\n    - y\n  c: z\n  d:\n  - p\n  - q\ne: f\n",
    "k:\n- a\n- b\nl: c\n",
    "k:\n- a\n- b\n- c",
    # mapping entries
    "a: 1\nb: 2\na: 3\n",
    "a: 1\nb: 2\nc: 3\nb: 4\n",
    "'a': 1\n\"b\": 2\n'c''d': 3\n'': 4\n\"\": 5\nx: 6\n",
    "'a': 1\n'a': 2\n",
    "a: 1\n'a': 2\n",
    "a b: 1\nc: 2\n",
    "a: 'x: y'\nb: 'p #q'\nc: d\ne: \"m: n\"\n",
    "a: b\nc: x: y\nd: e\n",
    "a: b\nc: d:\ne: f\n",
    "a: b\nc: d #e\nf: g\n",
    "a: b\nc: d#e\nf: g\n",
    "1: a\n2: b\n",
    "a: 1\n1a: x\nb: y\nyes: z\nnull: w\nTrue: v\n~: u\n",
    "a:   b\nc :d\ne :  f\ng: h\n",
    "a: é\nb: α-β\nc: a\u00a0b\nd: \u00a0\n",
    "a:\n  b: 1\n  c: 2\nd:\n    e: 3\n    f: 4\ng: 5\n",
    "genes:\n- word: a\n  symbol: b\n  entrez: '1'\n- word: c\n  symbol: d\n  entrez: '2'\nx: y\n",
    "a: b\n  c\nd: e\n",
    "a: b\n\nc: d\n",
    "a: b\n  \nc: d\n",
    "a: []\nb: {}\nc: [ ]\nd: []  \ne: {}\n",
    'a: "x\\"y"\nb: c\n',
    "a: 'it''s'\nb: 'x'''\nc: ''''\nd: ''\n",
    "a: 'x' \nb: 'y' z\nc: d\n",
    "a: b \nc: d\n",
    "k" * 1001 + ": v\nb: c\n",
    "k" * 999 + ": v\nb: c\n",
    "k#k: v\nb: c\n",
    "a: b\nc: d\n  e\nf: g\n",
    "a: 1.5\nb: -1\nc: 012\nd: 1_000\ne: 1:20\nf: .inf\ng: 1e400\nh: 2001-12-14t21:59:43.10-05:00\n",
    "a: b\n-k: c\n?k: d\n:k: e\n",
    "a: b\n'k\n  l': c\n",
    "a: b\nc:\nd: e\n",
    "a: b\n c: d\n",
    "a: b\n  c: d\n",
    "a: b\n# c\nd: e\n",
    "a: &x b\nc: d\n",
    "a: !t b\nc: d\n",
    "a: *x\nc: d\n",
    "a: b\nc: d\r\ne: f\n",
    "a: b\nc: d\te\nf: g\n",
    # a run that starts after a `- ` (a mapping in a sequence item)
    "k:\n- a: 1\n  b: 2\n- c: 3\n  d: 4\nx: y\n",
    "k:\n-  a: 1\n   b: 2\n",
    "k:\n- 'a': 1\n  b: 2\n- \"c\": 'd'\n",
    "k:\n- a: b\n  c\n- d: e\n",
    "k:\n- a: 1\n- a: 2\n",
    "k:\n- a: 1\n  a: 2\n",
    "k:\n  - a: 1\n    b: 2\n  - c: x: y\n",
    "k:\n- a: 1\n  b:\n  - c\n  d: 2\n",
    "k:\n- a: 1\n   b: 2\n",
    "k:\n- a: 1\n b: 2\n",
    "k:\n- a: b #c\n  d: e\n",
    "k:\n- a: yes\n  b: '1'\n  c: []\n",
    "- a: 1\n  b: 2\n",
    # multi-line quoted scalars (folded from one match)
    "a: 'x\n  y\n\n  z'\nb: c\n",
    "a: 'x  \n  y  \n  '\nb: c\n",
    "a: 'x''\n  ''y'\nb: c\n",
    "a: 'x\n  y' z\nb: c\n",
    "a: 'x\n  y'  \nb: c\n",
    "a: 'x\ny'\nb: c\n",
    "a:\n  b: 'x\n  y'\n",
    "a: 'x\n  y\n",
    'a: "x\n  y"\nb: c\n',
    'a: "x\n  y\\z"\nb: c\n',
    'a: "x\\\n  y"\nb: c\n',
    'a: "x\n  y" \\\nb: c\n',
    "a: 'x\n\n\n  y\n   \n  z  '\nb: c\n",
    "a: '\n  x'\nb: c\n",
    "k:\n- 'x\n  y'\n- 'p\n q'\n",
    "k:\n  - 'x\n    y'\n  - 'p\n   q'\n",
    "a: 'x # y\n  # z'\nb: c\n",
    "a: 'x: y\n  z: w'\nb: c\n",
]


@pytest.mark.parametrize("fm", RUN_EDGES)
def test_run_edges_read_alike(fm):
    compare(f"---\n{fm}---\n".encode())


def test_run_edges_reach_the_scanner():
    """The edge documents do go through the scanner (not all to libyaml)."""
    read = sum(compare(f"---\n{fm}---\n".encode()) for fm in RUN_EDGES)
    assert read >= len(RUN_EDGES) // 2


def test_runs_read_their_lines():
    """A run pattern reads one row per line up to the first line that is not
    one of its shape, then one empty row for the rest of the text (a plain
    scalar holding ": " or " #" is in the rows: the scanner stops there)."""
    items, entries = scanner._runs(2)
    text = "  - a\n  - b\n  - d: e\n  - f\n"
    assert items(text, 0) == ["a", "b", "d: e", ""]
    # plain items only: a quoted one, [], a number, a blank end the run
    for other in ("'b''c'", '"b"', "[]", "1", "-1", ".5", "b "):
        assert items(f"  - a\n  - {other}\n  - f\n", 0) == ["a", ""], other
    text = "  a: b\n  'c': 'd'\n  e:\n    f: g\n"
    rows = entries(text, 0)
    assert rows == [("a", ": ", "b", ""), ("'c'", ": ", "", "'d'"), ("", "", "", "")]
    # a plain value the next line continues, or that ends with a blank or ":"
    assert entries("  a: b\n    c\n", 0) == [("", "", "", "")]
    assert entries("  a: b \n  c: d\n", 0) == [("", "", "", "")]
    assert entries("  a: b:\n  c: d\n", 0) == [("", "", "", "")]


def test_run_edge_mutations_read_alike():
    """Shape mutations of documents made of runs (items and entries mixed)."""
    rng = random.Random(7)
    docs = [f"---\n{fm}---\n".encode() for fm in RUN_EDGES if "\r" not in fm]
    for _ in range(400):
        mutated = shape_mutate(rng.choice(docs), rng)
        try:
            compare(mutated)
        except AssertionError:
            print(mutated.decode("utf-8", "replace"))
            raise
