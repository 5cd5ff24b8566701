"""Record generations (linter/reading/generation.py) pinned on the real records."""

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS

from linter.reading.generation import LABELS, detect, marks, mixed_marks
from linter.reading.reader import read_file

FIGURES = CORPUS / "_figures"


def _data(path: Path) -> dict:
    rec = read_file(path, path.name).record
    assert rec is not None, path
    return rec.data


def _generations(folder: Path) -> dict[str, str | None]:
    return {p.stem: detect(_data(p)) for p in sorted(folder.glob("*.md"))}


@pytest.fixture(scope="module")
def corpus():
    return _generations(FIGURES)


def test_corpus_counts(corpus):
    assert len(corpus) == 103
    assert Counter(corpus.values()) == {"A": 13, "A1": 3, "A2": 4, "B": 53, "C": 30}


def test_seeds():
    assert _generations(SEEDS) == {
        "PMC11745090__cbm-21-1156-g007": "C",
        "PMC6457213__advances029850f7": "A2",
        "PMC6566596__ijms-20-02505-g004": "A2",
        "PMC7773330__hs9-5-e516-g001": "B",
    }


@pytest.mark.parametrize(
    "figid, generation",
    [
        ("PMC100003__mb2410470011", "A"),  # organisms a single string
        ("PMC1052008__JCI0524178.f1", "A1"),  # number: Figure 1, no figid_alias
        ("PMC1180565__JCI0526046.f1", "A1"),  # A′ even with an organisms list
        ("PMC1356091__pcbi.0020003.g004", "A2"),
        ("PMC1087184__JCI0525100.f2", "B"),  # a 2005 paper regenerated in 2023
        ("PMC1483167__JCI0629160.f1", "B"),  # organisms_ner after figtype
        ("PMC10036296__gr1_lrg", "B"),  # keywords '' and no pages, yet B
        ("PMC10003241__ijms-24-04893-g003", "B"),
        ("PMC10497131__pone.0291469.g006", "C"),  # figlink without trailing slash
        ("PMC10538757__pone.0291981.g002", "C"),  # slash and pages, yet C
        ("PMC11576080__AH2024-5948170.001", "C"),  # keywords filled, yet C
        ("PMC12240324__pone.0326693.g001", "C"),
    ],
)
def test_named_examples(corpus, figid, generation):
    assert corpus[figid] == generation


def test_no_real_record_mixes_generations():
    for folder in (FIGURES, SEEDS):
        for path in folder.glob("*.md"):
            assert mixed_marks(_data(path)) == [], path.name


def test_labels_cover_every_generation(corpus):
    assert set(corpus.values()) <= set(LABELS)
    assert LABELS["A1"] == "2020 early (A′)"
    assert LABELS["A2"] == "2020 late (A″)"


def test_mixed_marks():
    a_record = {"pathway_score": 0.5, "pmc_ranked_result_index": "1", "annotations": []}
    assert mixed_marks(a_record) == []
    assert mixed_marks({**a_record, "automl_pathway": 0.5}) == [("automl_pathway", "B")]
    b_record = {"automl_pathway": 0.5, "doi": "10.1/x", "organisms_ner": [], "organisms": "X"}
    assert mixed_marks(b_record) == [("organisms", "A")]
    tie = {"pathway_score": 0.5, "automl_pathway": 0.5}
    assert detect(tie) is None
    assert mixed_marks(tie) == [("pathway_score", "A"), ("automl_pathway", "B")]


def test_b_or_c_without_pmcid():
    base = {"automl_pathway": 0.9, "organisms_ner": [], "figlink": "/pmc/articles/PMC1/figure/F1/"}
    old = {**base, "keywords": "a | b", "reftext": "A, et al. J. 2023;1(2):3-4."}
    new = {**base, "keywords": "", "reftext": "A, et al. PLoS One. 2024;19(3)."}
    assert detect(old) == "B"
    assert detect(new) == "C"
    assert detect({**old, "figlink": "/pmc/articles/PMC1/figure/F1"}) == "C"
    assert detect({**new, "pmcid": "PMC10036296"}) == "B"
    assert detect({**old, "pmcid": "PMC12240324"}) == "C"


@pytest.mark.parametrize(
    "data", [None, [], "text", {}, {"figid": "PMC1__f1"}, {"pmcid": 5, "year": None}]
)
def test_odd_data(data):
    assert detect(data) is None
    assert mixed_marks(data) == []
    assert marks(data) == [] or isinstance(data, dict)


def test_odd_values_do_not_raise():
    data = {"automl_pathway": "x", "figlink": 5, "pmcid": ["PMC1"], "reftext": None, "keywords": 3}
    assert detect(data) == "B"
    data = {"pathway_score": None, "organisms": None, "figid_alias": None}
    assert detect(data) == "A"
