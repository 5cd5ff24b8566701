"""The development material the tests use is shipped in tests/fixtures/ so the
suite passes in any clone; where ../shared is beside the checkout, the copies
must still be byte-for-byte what it holds."""

from __future__ import annotations

import pytest
from conftest import CORPUS, RULES_MD, SHARED


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_corpus_copy_has_the_records_and_tables():
    files = _files(CORPUS)
    assert sum(name.startswith("_figures/") and name.endswith(".md") for name in files) == 103
    assert sum(name.startswith("_data/") and name.endswith(".tsv") for name in files) == 10
    assert len(files) == 113


def test_the_corpus_copy_is_the_shared_corpus():
    shared = SHARED / "corpus"
    if not shared.is_dir():
        pytest.skip(
            "../shared/corpus is not beside this checkout (nothing to compare the copy with)"
        )
    assert _files(CORPUS) == _files(shared), "tests/fixtures/corpus differs from ../shared/corpus"


def test_the_rules_md_copy_is_the_shared_catalogue():
    shared = SHARED / "docs" / "RULES.md"
    if not shared.is_file():
        pytest.skip(
            "../shared/docs/RULES.md is not beside this checkout (nothing to compare the copy with)"
        )
    assert RULES_MD.read_bytes() == shared.read_bytes(), "tests/fixtures/RULES.md is out of date"
