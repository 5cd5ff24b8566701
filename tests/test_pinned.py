"""Pinned behaviour on real data: the seeds' exact findings and the corpus's
counts per code. Any change here is a deliberate, reviewed diff."""

import json
from collections import Counter

import pytest
from conftest import CORPUS, ROOT

from linter.cli import main

SEED_FINDINGS = {
    "PMC11745090__cbm-21-1156-g007.md": [
        ("NA102", 5, 3),  # organisms: [NA]
    ],
    "PMC6457213__advances029850f7.md": [],
    "PMC6566596__ijms-20-02505-g004.md": [
        ("DI101", 187, 11),  # Cancer: empty source and identifier
        ("DI101", 190, 11),  # Cardiomyopathy
        ("DI101", 193, 11),  # Noonan syndrome
    ],
    "PMC7773330__hs9-5-e516-g001.md": [
        ("ID105", 14, 10),  # figlink without its leading slash
        ("NA101", 30, 6),  # doi: .na.character
        ("NA101", 31, 16),  # journal_title
        ("NA101", 32, 17),  # journal_nlm_ta
        ("NA101", 33, 17),  # publisher_name
        ("NA101", 34, 11),  # keywords
    ],
}

CORPUS_COUNTS = {
    "CH104": 4,
    "DI101": 3,
    "GN101": 7,
    "KW103": 2,
    "MD109": 3,
    "MD110": 4,
    "MD111": 16,
    "NA101": 13,
    "NA102": 74,
    "NA103": 1,
    "NA104": 10,
}


def _json_findings(capsys, *args):
    rc = main(["check", "--no-cache", "--output-format", "json", *args])
    out = capsys.readouterr().out
    return rc, json.loads(out)


def test_seeds_exact_findings(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    rc, findings = _json_findings(capsys)  # no path: lints seeds/
    got = {name: [] for name in SEED_FINDINGS}
    for f in findings:
        name = f["filename"].rsplit("/", 1)[-1]
        got.setdefault(name, []).append((f["code"], f["location"]["row"], f["location"]["column"]))
    assert got == SEED_FINDINGS
    assert rc == 1


def test_corpus_as_a_collection_counts_per_code(capsys):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    rc, findings = _json_findings(capsys, str(CORPUS))
    assert dict(sorted(Counter(f["code"] for f in findings).items())) == CORPUS_COUNTS
    assert rc == 1
