"""The lexicon's key filter (linter/knowledge/keyfilter.py, lexicon_keys.bloom):
it never rules out a key the lexicon holds, rules out most others, belongs
to one build of the lexicon, and changes no answer of :func:`denote`."""

from __future__ import annotations

import gzip
import random
import shutil
import string

import pytest

from linter.knowledge import keyfilter, lexicon, reference
from linter.knowledge.keyfilter import KeyFilter

REFDATA = reference.DEFAULT_DATA_DIR
LEXICON = REFDATA / "lexicon.tsv.gz"
FILTER = REFDATA / "lexicon_keys.bloom"


@pytest.fixture(scope="module")
def shipped_keys() -> list[str]:
    text = gzip.decompress(LEXICON.read_bytes()).decode("utf-8")
    return [line.split("\t", 1)[0] for line in text.splitlines() if not line.startswith("#")]


def test_shipped_filter_holds_every_lexicon_key(shipped_keys):
    found = KeyFilter.open(FILTER, LEXICON)
    assert found is not None  # built for this lexicon
    assert found.keys == len(shipped_keys) > 100_000
    assert all(found.may_hold(k) for k in shipped_keys)


def test_shipped_filter_rules_out_most_other_keys(shipped_keys):
    found = KeyFilter.open(FILTER, LEXICON)
    held = set(shipped_keys)
    rng = random.Random(7)
    others = set()
    while len(others) < 20_000:
        k = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 20)))
        if k not in held:
            others.add(k)
    false_positives = sum(found.may_hold(k) for k in others)
    assert false_positives / len(others) < 0.02  # ~0.8 % at 10 bits and 7 hashes


def test_build_is_deterministic_and_exact():
    keys = ["alpha", "beta", "gamma", "δ-delta"]
    data = keyfilter.build(keys, 1234)
    assert data == keyfilter.build(list(keys), 1234)
    assert data != keyfilter.build(keys, 1235)
    assert len(data) == 5 + 1 + 4 + 4 + 4 + 64 // 8  # header + the smallest bit array


def test_filter_of_another_lexicon_is_not_used(tmp_path):
    """A filter whose block-index CRC is not the lexicon's, or a damaged file,
    is ignored (None): lookups then go to the table as before."""
    other = tmp_path / "lexicon_keys.bloom"
    data = FILTER.read_bytes()
    head = bytearray(data)
    head[14] ^= 0xFF  # the CRC field (after magic, k, m and the key count)
    other.write_bytes(bytes(head))
    assert KeyFilter.open(other, LEXICON) is None
    for broken in (b"", data[:10], data[:-1], b"PFKF\x02" + data[5:]):
        other.write_bytes(broken)
        assert KeyFilter.open(other, LEXICON) is None
    assert KeyFilter.open(tmp_path / "missing.bloom", LEXICON) is None
    assert KeyFilter.open(FILTER, tmp_path / "missing.tsv.gz") is None
    assert KeyFilter.open(FILTER, REFDATA / "hgnc.tsv.gz") is None  # another table's index


LONG_FORMS = [
    "adenosine triphosphate",
    "P-glycoprotein",
    "phosphoinositide-dependent protein kinase 1",
    "cytoplasmic aconitate hydratase",
    "succinate dehydrogenase [ubiquinone]",
    "reactive oxygen species",
    "tumor necrosis factor alpha",
    "no such long form at all",
    "zzzz qqqq",
    "focal adhesion kinase",
    "mitogen activated protein kinase",
    "endoplasmic reticulum",
]


def test_denote_answers_alike_without_the_filter(tmp_path):
    """The same data folder without the filter file: every answer equal."""
    bare = tmp_path / "data"
    shutil.copytree(REFDATA, bare, ignore=shutil.ignore_patterns("*.bloom", "__pycache__"))
    try:
        reference.configure()
        lexicon._denote.cache_clear()
        lexicon._lookup.cache_clear()
        assert lexicon._filter(lexicon._data_id()) is not None
        with_filter = [lexicon.denote(x) for x in LONG_FORMS]
        reference.configure(data_dir=bare)
        assert lexicon._filter(lexicon._data_id()) is None
        without = [lexicon.denote(x) for x in LONG_FORMS]
    finally:
        reference.configure()
    assert with_filter == without
    assert sum(d is not None for d in without) >= 6
