"""The state a run keeps per file is compact (issue 17: memory at 100,000
files): the collection index and the summary's records hold their values as
bytes, and give back exactly what was put in."""

from __future__ import annotations

import pytest

from linter.base.model import Finding, Span
from linter.engine import SUPPRESS_KEY, CollectionIndex
from linter.reporters import Summary


class Opaque:
    """A value marshal cannot write (as a suppression comment is)."""


def test_collection_index_gives_back_every_value_in_order():
    other = Opaque()
    rows = [
        ("a.md", {"XR101": b"\x00\x01", "XR104": (), SUPPRESS_KEY: [other]}),
        ("b.md", {"XR101": b"", "XR102": ("x", 1, frozenset({"y"}))}),
        ("c.md", {}),
        ("d.md", {"XR101": b"\xff" * 70, "XR102": None, "XR104": ("t.tsv",)}),
    ]
    index = CollectionIndex([SUPPRESS_KEY, "XR101", "XR102", "XR104"])
    assert not index
    for name, entries in rows:
        index.add(name, entries)
    assert index
    for code in (SUPPRESS_KEY, "XR101", "XR102", "XR104"):
        want = [(name, e[code]) for name, e in rows if e.get(code) is not None]
        got = list(index.get(code, []))
        assert got == want, code
        assert len(index.get(code, [])) == len(want)
        assert list(index.get(code, [])) == want  # a view: the same again
        assert [type(v) for _, v in got] == [type(v) for _, v in want], code
    assert list(index.get(SUPPRESS_KEY))[0][1][0] is other  # kept as it is
    assert index.get("XR103") is None and index.get("XR999", "none") == "none"
    index.add("e.md", {"XR101": b"later"})  # adding after a get
    assert list(index.get("XR101"))[-1] == ("e.md", b"later")


@pytest.mark.parametrize("chunk", [1 << 20, 16])
def test_an_index_extended_by_batches_is_the_index_of_every_file(monkeypatch, chunk):
    """A warm run's workers send each batch's entries as an index of their
    own (``CollectionIndex.of``); the run's index extended by them is the
    one it would have built file by file, and a batch's rows come back."""
    from linter.base import chunks

    monkeypatch.setattr(chunks, "CHUNK", chunk)  # values spread over chunks too
    other = Opaque()
    codes = [SUPPRESS_KEY, "XR101", "XR102", "XR104"]
    rows = []
    for i in range(60):
        entries = {
            "XR101": bytes([i % 256]) * (i % 7),
            "XR102": ("x", i) if i % 3 else None,
            "XR999": b"a code the run does not keep",
        }
        if i % 5 == 0:
            entries[SUPPRESS_KEY] = [other]
        if i % 4 == 1:
            entries = {}  # a file that gave none
        rows.append((f"f{i}.md", entries))
    whole = CollectionIndex(codes)
    for name, entries in rows:
        if entries:
            whole.add(name, entries)
    extended = CollectionIndex(codes)
    for start in range(0, len(rows), 8):
        batch = CollectionIndex.of(rows[start : start + 8])
        assert list(batch.rows()) == [
            (n, {k: v for k, v in e.items() if v is not None})
            for n, e in rows[start : start + 8]
            if e
        ]
        extended.extend(batch)
    assert extended.names == whole.names
    for code in codes:
        assert list(extended.get(code, [])) == list(whole.get(code, [])), code


def _finding(filename: str, code: str = "NA101") -> Finding:
    return Finding(code, "n", "error", "m", filename, "/x", Span(1, 1, 1, 2, 0, 1))


def test_summary_counts_each_record_once():
    summary = Summary()
    summary.add([_finding("_figures/PMC1__a.md"), _finding("_figures/PMC1__a.md", "NA102")])
    summary.add([_finding("_data/PMC1__a-genes.tsv"), _finding("_figures/PMC2__b.md")])
    summary.add([_finding("_figures/\udcff\u00e9.md")])  # a name that is not UTF-8
    assert summary.records == {"PMC1__a", "PMC2__b", "\udcff\u00e9"}
    assert summary.rule_records["NA101"] == 4  # once a record in each call


def test_chunks_give_back_every_item(monkeypatch):
    """Items (empty ones, ones larger than a chunk) come back as added, and
    the whole is their concatenation."""
    from linter.base import chunks

    monkeypatch.setattr(chunks, "CHUNK", 10)
    store = chunks.Chunks()
    items, ends = [], []
    for i in range(300):
        item = bytes((i * 7 + j) % 256 for j in range((0, 0, 1, 3, 9, 10, 11, 25)[i % 8]))
        assert store.add(item) == len(store) - len(item)
        items.append(item)
        ends.append(len(store))
    assert [bytes(v) for v in store.items(ends)] == items
    assert store.tobytes() == b"".join(items) == b"".join(bytes(p) for p in store.parts())
    assert len(store._chunks) > 100  # items were spread over chunks


@pytest.mark.parametrize("first", [0, 1, 7, 40])
def test_chunks_extended_by_another_hold_the_items_of_both(monkeypatch, first):
    """``extend`` (a worker's summary merged into the run's) appends the
    other store's items chunk by chunk: they come back, after this store's
    own, as adding them one by one gives them, empty and oversized ones too."""
    from array import array

    from linter.base import chunks

    monkeypatch.setattr(chunks, "CHUNK", 10)

    def filled(n: int, seed: int):
        store, items, ends = chunks.Chunks(), [], array("Q")
        for i in range(n):
            item = bytes((i * seed + j) % 256 for j in range((0, 0, 1, 3, 9, 10, 11, 25)[i % 8]))
            store.add(item)
            items.append(item)
            ends.append(len(store))
        return store, items, ends

    mine, items, ends = filled(first, 7)
    other, more, other_ends = filled(150, 5)
    ends.extend(mine.extend(other, other_ends))
    assert [bytes(v) for v in mine.items(ends)] == items + more
    assert mine.tobytes() == b"".join(items + more)
    empty = chunks.Chunks()
    assert empty.extend(chunks.Chunks(), array("Q")) == []
    assert empty.extend(chunks.Chunks(), array("Q", [0, 0])) == [0, 0]


def test_chunks_give_prefixes_and_picked_items(monkeypatch):
    """``prefixes`` (each item's first bytes) and ``picked`` (the items of
    some rows) agree with the items, however they spread over chunks."""
    from array import array

    from linter.base import chunks

    monkeypatch.setattr(chunks, "CHUNK", 10)
    store = chunks.Chunks()
    items, ends = [], array("I")
    for i in range(200):
        item = bytes((i * 5 + j) % 256 for j in range((0, 2, 4, 9, 10, 13)[i % 6]))
        store.add(item)
        items.append(item)
        ends.append(len(store))
    for width in (1, 3, 8):
        assert store.prefixes(ends, width) == [item[:width] for item in items]
    rows = [0, 1, 5, 6, 7, 50, 51, 199]
    assert store.picked(ends, rows) == [items[r] for r in rows]


@pytest.mark.parametrize("chunk", [1 << 20, 16])
def test_xr_groups_from_the_index_digests_are_the_groups_of_its_pairs(monkeypatch, chunk):
    """The collection rules group the run's index by its first digests at
    once (``keyed``); the groups are those of going over its pairs."""
    from linter.base import chunks
    from linter.rules import xr

    monkeypatch.setattr(chunks, "CHUNK", chunk)
    index = CollectionIndex(["XR101", "XR102"])
    for i in range(120):
        digest = bytes([i % 37]) * 8 if i % 3 else bytes([i]) * 8
        entries = {"XR101": digest + bytes([i]) * (i % 4)} if i % 11 else {}
        entries["XR102"] = ("a tuple", i)  # not bytes: no digests at once
        index.add(f"_figures/f{i}.md", entries)
    view = index.get("XR101")
    assert view.keyed(8) is not None and index.get("XR102").keyed(8) is None
    fast = list(xr._groups(view))
    slow = list(xr._groups(list(view)))  # a plain list: pair by pair
    assert fast == slow and len(fast) > 5
    unique = CollectionIndex(["XR101"])
    for i in range(50):
        unique.add(f"f{i}.md", {"XR101": bytes([i]) * 8})
    assert list(xr._groups(unique.get("XR101"))) == []


@pytest.mark.parametrize(
    "path", ["a/b.md", "b.md", "/b.md", "//b.md", "a//b.md", "/a/b/", "a/b//", "", "/", "x/./y"]
)
def test_split_is_os_path_split(path):
    import os

    from linter.base.paths import split

    assert split(path) == os.path.split(path)


def test_table_memo_forgets_for_another_table_and_when_full():
    from linter.base.memo import TableMemo

    memo = TableMemo(3)
    one, other = {}, {}
    answers = memo.of(one)
    answers.update(a=1, b=2)
    assert memo.of(one) is answers and memo.of(one) == {"a": 1, "b": 2}
    assert memo.of(other) == {}  # another table: nothing remembered
    assert memo.of(one) == {}  # and the first one's answers are gone
    full = memo.of(one)
    full.update(a=1, b=2, c=3)
    assert memo.of(one) == {}  # the limit reached: forgotten


def test_table_memo_of_several_tables_forgets_when_any_changes():
    from linter.base.memo import TableMemo

    memo = TableMemo(10)
    a, b, c = {}, {}, {}
    answers = memo.of(a, b)
    answers["x"] = 1
    assert memo.of(a, b) is answers
    assert memo.of(a, c) == {}  # the second table changed
    memo.of(a, c)["y"] = 2
    assert memo.of(a) == {}  # one table is not the same pair
    assert memo.of((a, c)) == {}  # nor is a table that is a tuple
    memo.of(a, b)["z"] = 3
    assert memo.of(a, b, c) == {}  # more tables, other answers
