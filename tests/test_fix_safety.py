"""Fixes that keep a record valid (issue 19): flow context, line endings,
values far to the right, and ``edits.verify_fix``, the check the engine runs
on a fixed text before writing it. ``python tools/fuzz.py --fix-safety`` runs
the same checks on many more mutated records."""

from __future__ import annotations

import random
import sys

import pytest
import yaml
from conftest import CORPUS, ROOT, SEEDS
from conftest import run_cli as run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rulefixtures import run_case

from linter.base.model import Edit
from linter.engine import Linter, Settings, applicable, fix_text
from linter.reading.reader import parse_bytes
from linter.rules import edits
from linter.rules.registry import all_rules

sys.path.insert(0, str(ROOT / "tools"))
import fuzz  # noqa: E402

CAPTIONED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # no genes: ID107 alone
ANNOTATED = CORPUS / "_figures" / "PMC100003__mb2410470011.md"  # inline genes: KW101
ALL = frozenset(all_rules())
NOT_FM = frozenset(c for c in ALL if not c.startswith("FM"))
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def data(text: str):
    rec = parse_bytes(text.encode("utf-8"), "x.md").record
    assert rec is not None, parse_bytes(text.encode("utf-8"), "x.md").issues
    return rec.data


def flow(text: str, key: str, width: int = 10**9) -> str:
    """``text`` with the block value of ``key`` written in flow style."""
    rec = parse_bytes(text.encode("utf-8"), "x.md").record
    span, colon = rec.pos[f"/{key}"], text.index(":", rec.keypos[f"/{key}"].end)
    dumped = yaml.safe_dump(
        rec.data[key], default_flow_style=True, width=width, allow_unicode=True, sort_keys=False
    ).rstrip("\n")
    return text[:colon] + ": " + dumped.replace("\n", "\n  ") + text[span.end :]


class Recorder:
    """A linter that keeps each text ``fix_text`` lints and its result."""

    def __init__(self, select=ALL):
        self.linter = Linter(Settings(select=frozenset(select)))
        self.calls = []

    def lint_text(self, text, filename, path=None):
        res = self.linter.lint_text(text, filename, path)
        self.calls.append((text, res))
        return res


def fix(text: str, name: str, select=ALL, unsafe: bool = False):
    """(fixed text, fixes applied, reasons verify_fix gives for each pass)."""
    rec = Recorder(select)
    res, fixed, count = fix_text(rec, text, name, None, unsafe)
    assert res.error is None, res.error
    reasons = []
    for (before, result), (after, _) in zip(rec.calls, rec.calls[1:]):
        fixes = [f for f in result.findings if applicable(f.fix, unsafe)]
        found = edits.verify_fix(
            before, after, [e for f in fixes for e in f.fix.edits], [f.path for f in fixes]
        )
        if found:
            reasons.append(found)
    return fixed, count, reasons


def assert_converges(text: str, name: str, select=ALL, unsafe: bool = False):
    again, count, _ = fix(text, name, select, unsafe)
    assert (again, count) == (text, 0)


# -- the cases of the issue ------------------------------------------------------------------
def test_id107_in_a_flow_mapping_writes_one_flow_scalar_and_converges():
    text = flow(CAPTIONED.read_text(encoding="utf-8"), "schema-jsonld")
    text = text.replace("description: 'Schematic", "description: 'Another schematic", 1)
    fixed, count, reasons = fix(text, CAPTIONED.name)
    assert count == 1 and reasons == []
    before, after = data(text), data(fixed)
    assert after["schema-jsonld"]["description"] == after["caption"]
    after["schema-jsonld"]["description"] = before["schema-jsonld"]["description"]
    assert after == before  # nothing else changed: no key added to the flow mapping
    assert fixed.count("\n") == text.count("\n")  # one flow scalar, on its line
    assert_converges(fixed, CAPTIONED.name)


@pytest.mark.parametrize(
    "layout",
    [
        # the issue's shape: the whole mapping on the key's line
        "schema-jsonld: {'@id': 'https://pfocr.wikipathways.org/figures/PMC100003__mb2410470011.html', keywords: [BMX, PTK2]}\n",
        # keywords opens a line of a folded flow mapping: once a block list went there
        "schema-jsonld: {'@id': 'https://pfocr.wikipathways.org/figures/PMC100003__mb2410470011.html',\n  keywords: [BMX, PTK2]}\n",
        "schema-jsonld: {'@id': 'https://pfocr.wikipathways.org/figures/PMC100003__mb2410470011.html',\n  keywords: [\n    BMX, PTK2]}\n",
    ],
)
def test_kw101_in_a_flow_mapping_writes_a_flow_list(layout):
    text = ANNOTATED.read_text(encoding="utf-8")
    start = text.index("schema-jsonld:\n")
    end = text.index("genes:\n")
    text = text[:start] + layout + text[end:]
    fixed, count, reasons = fix(text, ANNOTATED.name, select={"KW101"})
    assert count == 1 and reasons == []
    assert data(fixed)["schema-jsonld"]["keywords"] == [
        "GNAQ",
        "BMX",
        "PTK2",
        "AR",
        "SRC",
        "bombesin",
    ]
    assert "keywords: [GNAQ, BMX, PTK2, AR, SRC, bombesin]}" in fixed
    assert_converges(fixed, ANNOTATED.name, {"KW101"})


@pytest.mark.usefixtures("cli_env")
def test_kw101_flow_fix_through_the_cli_leaves_valid_yaml(capsys, tmp_path):
    """Without FM selected, a broken fix once showed as 'All checks passed!'."""
    text = ANNOTATED.read_text(encoding="utf-8")
    start, end = text.index("schema-jsonld:\n"), text.index("genes:\n")
    text = text[:start] + "schema-jsonld: {'@id': x,\n  keywords: [BMX]}\n" + text[end:]
    p = tmp_path / ANNOTATED.name
    p.write_text(text, encoding="utf-8")
    rc, out, err = run(capsys, "--fix", "--select", "KW101", str(p))
    assert rc == 0, out + err
    rc, out, err = run(capsys, "--select", "FM102,KW101", str(p))
    assert rc == 0 and "All checks passed!" in out, out


def test_crlf_record_gets_crlf_line_breaks():
    text = ANNOTATED.read_text(encoding="utf-8")
    text = text.replace("  - GNAQ\n", "", 1)  # KW101 rewrites the block list
    text = text.replace("caption: Summary", "caption: " + "Long caption words " * 12 + "Summary")
    text = text.replace("\n", "\r\n")
    fixed, count, reasons = fix(text, ANNOTATED.name)
    assert count >= 2 and reasons == []  # KW101 and ID107 (a folded description)
    assert edits.line_endings(fixed) == "crlf"
    assert data(fixed)["schema-jsonld"]["keywords"][0] == "GNAQ"
    assert_converges(fixed, ANNOTATED.name)


def test_crlf_rule_fixture_style(tmp_path):
    text = ANNOTATED.read_text(encoding="utf-8").replace("  - GNAQ\n", "", 1)
    case = {"text": text.replace("\n", "\r\n"), "select": ["KW101"], "fixed": ""}
    _, fixed, _ = run_case(case, tmp_path)
    assert fixed == ANNOTATED.read_text(encoding="utf-8").replace("\n", "\r\n")


def test_a_fixable_value_past_column_1000_is_fixed_without_recursion():
    text = flow(ANNOTATED.read_text(encoding="utf-8"), "schema-jsonld")
    text = text.replace("description: Summary", "description: " + "x" * 1200 + " Summary")
    text = text.replace("name: CreativeWork,", "name: Creative Work,")  # ID108, at column ~1,300
    assert text.index("Creative Work") - text.rindex("\n", 0, text.index("Creative Work")) > 1000
    fixed, count, reasons = fix(text, ANNOTATED.name)
    assert count >= 2 and reasons == []
    assert data(fixed)["schema-jsonld"]["name"] == "CreativeWork"
    assert_converges(fixed, ANNOTATED.name)


def test_a_block_key_far_to_the_right_is_fixed_without_recursion():
    text = CAPTIONED.read_text(encoding="utf-8")
    start = text.index("schema-jsonld:\n") + len("schema-jsonld:\n")
    end = text.index("---", start)
    pad = " " * 1500
    moved = "".join(pad + ln if ln.strip() else ln for ln in text[start:end].splitlines(True))
    text = text[:start] + moved + text[end:]
    text = text.replace("license: CC0", "license: CC-BY").replace(
        "description: Schematic", "description: A"
    )
    fixed, count, reasons = fix(text, CAPTIONED.name)
    assert count >= 2 and reasons == []
    assert data(fixed)["schema-jsonld"]["license"] == "CC0"
    assert_converges(fixed, CAPTIONED.name)


def test_an_empty_value_gets_a_blank_before_its_fix():
    text = CAPTIONED.read_text(encoding="utf-8").replace(
        "    '@type': Organization", "    '@type':"
    )
    fixed, count, reasons = fix(text, CAPTIONED.name, select={"ID108"})
    assert count == 1 and reasons == []
    assert "    '@type': Organization\n" in fixed


def test_flow_items_are_still_removed_only_when_alone():
    text = "---\nfigid: PMC1__f1\norganisms: [.na.character]\norganisms_ner: [Homo sapiens, .na.character]\n---\n"
    fixed, count, reasons = fix(text, "PMC1__f1.md", select={"NA101"})
    assert reasons == []
    assert "organisms: []\n" in fixed
    assert "organisms_ner: [Homo sapiens, .na.character]\n" in fixed  # reported, not fixed


# -- the helpers ------------------------------------------------------------------------------
FLOW_VALUES = [
    "plain",
    "a, b",
    "x: y",
    "{not a map}",
    "[not a list]",
    "# not a comment",
    "yes",
    "1.5",
    "",
    "it's",
    "two\nlines",
    "NEL\u0085here",
    "tab\there",
    " lead",
    "trail ",
    "- dash",
    "caf\u00e9 \u2192",
    None,
    3,
]


@pytest.mark.parametrize("value", FLOW_VALUES)
def test_a_flow_scalar_is_one_line_and_reads_back(value):
    text = edits.render_scalar(value, 1000, flow=True)
    assert not any(b in text for b in ("\n", "\r", "\u0085", "\u2028", "\u2029"))
    assert yaml.safe_load(f"{{k: [{text}, {text}], j: {text}}}") == {
        "k": [value, value],
        "j": value,
    }


@BOUNDED
@given(
    value=st.text(max_size=300),
    indent=st.integers(0, 1500),
    key=st.sampled_from(["k", "description", "@id"]),
)
def test_a_block_scalar_reads_back_at_any_column(value, indent, key):
    text = edits.render_scalar(value, indent, key)
    shown = yaml.safe_dump(key).removesuffix("\n...\n").rstrip("\n")
    line = " " * indent + f"{shown}: {text}\n"
    if indent:  # under a key at column 0
        assert yaml.safe_load("top:\n" + line + "next: 1\n") == {"top": {key: value}, "next": 1}
    else:
        assert yaml.safe_load(line + "next: 1\n") == {key: value, "next": 1}


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_block_rendering_folds_as_upstream_writes_nested_mappings(depth):
    """At the columns of real records the value folds where upstream's writer
    folds it in the nested mapping (what the fix wrote before it stopped nesting)."""
    value = "A caption that runs on and on, with words: of every (length) " * 4
    doc = {"description": value}
    for _ in range(depth):
        doc = {"x": doc}
    dumped = yaml.safe_dump(doc, allow_unicode=True, width=80, sort_keys=False)
    lines = dumped.rstrip("\n").split("\n")[depth:]
    lines[0] = lines[0][len("  " * depth + "description: ") :]
    assert edits.render_scalar(value, 2 * depth, "description") == "\n".join(lines)


def test_line_endings_and_line_break():
    assert edits.line_endings("a\r\nb\r\n") == "crlf"
    assert edits.line_endings("a\nb\n") == "lf"
    assert edits.line_endings("a\r\nb\n") == "mixed"
    assert edits.line_endings("a") is None
    assert edits.line_break("---\r\nx: 1\r\n") == "\r\n"
    assert edits.line_break("---\nx: 1\r\n") == "\n"
    assert edits.mixed_line_endings("a\r\nb\r\n", "a\r\nc\nb\r\n")
    assert edits.mixed_line_endings("a\nb\n", "a\r\nb\n")
    assert edits.mixed_line_endings("a\r\nb\n", "a\nb\n") is None  # mixed before
    assert edits.mixed_line_endings("a\r\nb\r\n", "a\r\nc\r\nb\r\n") is None


RECORD = "---\nfigid: x\nlist:\n- a\n- b\n- a\nmap: {k: v, j: w}\nn: 1\n---\n"


def edit(text: str, old: str, new: str) -> tuple[str, Edit]:
    at = text.index(old)
    return text[:at] + new + text[at + len(old) :], Edit(at, at + len(old), new)


def test_verify_fix_accepts_what_the_edits_meant_to_change():
    new, e = edit(RECORD, "- a\n", "")  # the first of the two
    assert edits.verify_fix(RECORD, new, [e]) is None
    new, e = edit(RECORD, "figid: x\n", "")
    assert edits.verify_fix(RECORD, new, [e]) is None
    new, e = edit(RECORD, "k: v", "k: 'other, value'")
    assert edits.verify_fix(RECORD, new, [e]) is None
    assert edits.verify_fix(RECORD, new, paths=["/map/k"]) is None


def test_verify_fix_rejects_the_rest():
    new, e = edit(RECORD, "k: v", "k: v, x: y")  # a key added beside the value
    assert "changes /map/x" in edits.verify_fix(RECORD, new, [Edit(e.start + 3, e.start + 4, "")])
    new, _ = edit(RECORD, "- b\n", "- b\n- c\n")
    assert "changes /list" in edits.verify_fix(RECORD, new, paths=["/list/0"])
    new, e = edit(RECORD, "k: v", "k: |\n  v")  # a block scalar in a flow mapping
    assert "does not parse" in edits.verify_fix(RECORD, new, [e])
    new, e = edit(RECORD, "n: 1\n", "n: 1\nn: 2\n")
    assert "adds FM103" in edits.verify_fix(RECORD, new, [e])
    crlf = RECORD.replace("\n", "\r\n")
    new, e = edit(crlf, "- b\r\n", "- b\n- c\r\n")
    assert "line endings" in edits.verify_fix(crlf, new, [e])
    new, e = edit(RECORD, "n: 1", "n: true")
    assert "changes /n" in edits.verify_fix(RECORD, new, paths=["/figid"])  # 1 is not True
    assert edits.verify_fix(RECORD, new, [e]) is None
    assert edits.parse_problem(RECORD) is None
    assert "FM102" in edits.parse_problem("---\nk: [\n---\n")


def test_verify_fix_on_the_old_fixes_of_the_issue():
    """The texts the fixes of the issue once wrote are rejected."""
    text = flow(CAPTIONED.read_text(encoding="utf-8"), "schema-jsonld")
    span_at = text.index("description: '") + len("description: ")
    end = text.index("', license")
    broken = text[:span_at] + "Schematic\n    diagram: of, {the} IL-6\n" + text[end + 1 :]
    assert edits.verify_fix(text, broken, [Edit(span_at, end + 1, "")])
    lf_in_crlf = ANNOTATED.read_text(encoding="utf-8").replace("\n", "\r\n")
    at = lf_in_crlf.index("  - BMX")
    assert "line endings" in edits.verify_fix(
        lf_in_crlf, lf_in_crlf[:at] + "  - X\n" + lf_in_crlf[at:]
    )


def test_edited_path():
    rec = parse_bytes(RECORD.encode(), "x.md").record
    at = RECORD.index
    assert edits.edited_path(rec, at("- b\n"), at("- b\n") + 4) == "/list/1"  # a whole line
    assert edits.edited_path(rec, at("v, j"), at("v, j") + 1) == "/map/k"
    assert edits.edited_path(rec, at(": {k"), at("}") + 1) == "/map"  # colon to the end
    assert edits.edited_path(rec, at("- a"), at("- a")) == "/list"  # an insertion
    assert edits.edited_path(rec, 0, 3) is None  # the opening line


def test_in_flow():
    rec = parse_bytes(RECORD.encode(), "x.md").record
    assert edits.in_flow(rec, "/map/k")
    assert not edits.in_flow(rec, "/list/0")
    assert not edits.in_flow(rec, "/map")
    assert not edits.in_flow(rec, "")


# -- the property ---------------------------------------------------------------------------------
SEED_RECORDS = fuzz.load_seeds()
FIXING = sorted(c for c, r in all_rules().items() if r.fix != "none")


@BOUNDED
@given(
    record=st.sampled_from(SEED_RECORDS),
    defects=st.integers(1, 4),
    flow_steps=st.integers(0, 2),
    crlf=st.booleans(),
    select=st.one_of(st.just(ALL), st.sets(st.sampled_from(FIXING), min_size=1)),
    unsafe=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_fixed_text_parses_converges_and_keeps_line_endings_or_is_rejected(
    record, defects, flow_steps, crlf, select, unsafe, seed
):
    name, raw = record
    rng = random.Random(seed)
    text = raw.decode("utf-8")
    for _ in range(defects):
        text = fuzz.add_defect(text, rng)
    for _ in range(flow_steps):
        text = fuzz.to_flow(text, rng)
    if crlf:
        text = fuzz.crlf(text, rng)
    parsed = edits.parse_problem(text) is None
    fixed, count, reasons = fix(text, name, select, unsafe)
    if reasons:  # verify_fix rejects a pass: the engine withholds it
        return
    if parsed:
        assert edits.parse_problem(fixed) is None
    assert edits.mixed_line_endings(text, fixed) is None
    if count:
        assert_converges(fixed, name, select, unsafe)


def test_a_fix_after_a_line_opening_with_bom_lands_on_its_value():
    """A U+FEFF opening a line of the front matter is skipped by libyaml's
    positions; the reader's spans are counted from the text's own offsets
    there, so the fix replaces exactly the value and nothing around it."""
    text = SEEDS.joinpath("PMC7773330__hs9-5-e516-g001.md").read_text(encoding="utf-8")
    text = text.replace("---\n", "---\n\ufeff\n", 1)
    good = text
    text = text.replace("redirect_from: /figures/PMC7773330__F1", "redirect_from: /figure/x")
    assert text != good
    res = Linter(Settings(select=frozenset({"ID104"}))).lint_text(text, "x.md")
    assert [f.code for f in res.findings] == ["ID104"]
    [edit] = res.findings[0].fix.edits
    assert text[edit.start : edit.end] == "/figure/x"
    fixed, count, _ = fix(text, "x.md", select={"ID104"})
    assert (fixed, count) == (good, 1)


def test_removing_an_item_takes_the_lines_a_repeated_key_left_past_its_span():
    """The span of a block mapping ends at its last distinct key: the lines
    of a repeated key after it belong to the item too, not to the one before."""
    text = (
        "---\nfigid: PMC1__f1\n"
        "genes:\n"
        "- {word: MEK, symbol: MEK, source: hgnc_symbol, hgnc_symbol: MAP2K1, entrez: '5604'}\n"
        "- word: MEK\n  symbol: MEK\n  source: hgnc_symbol\n  hgnc_symbol: MAP2K1\n  entrez: '5604'\n"
        "  source: hgnc_symbol\n\n  entrez: '5605'\n"
        "chemicals: []\n---\n"
    )
    fixed, count, reasons = fix(text, "PMC1__f1.md", select={"GN101"}, unsafe=True)
    assert count == 1 and reasons == []
    assert fixed.endswith("entrez: '5604'}\nchemicals: []\n---\n")
    rec = parse_bytes(text.encode(), "x.md").record
    assert edits.delete_key(rec, "/genes") == Edit(
        text.index("genes:"), text.index("chemicals"), ""
    )
