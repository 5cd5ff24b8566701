"""Suppression comments: ``# pfocr-lint: disable=CODES`` on its own line
suppresses in the whole record, at the end of a line only on that line; a
suppression that suppresses nothing is FM199 (unused on the line / in the
record, unknown code, rule not enabled)."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS

from linter.cli.main import main

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"
# BAD: ID105 on line 14 (figlink), NA101 on lines 30-34 (doi ... keywords)
DOI = "doi: .na.character\n"
NA_LINES = {30, 31, 32, 33, 34}


pytestmark = pytest.mark.usefixtures("cli_env")


def lint(capsys, tmp_path, text: str, *args):
    """(exit code, [(line, col, code, message)]) for ``text`` as a record."""
    p = tmp_path / BAD.name
    p.write_text(text, encoding="utf-8")
    rc = main(["check", "--no-cache", "--output-format", "json", *args, p.name])
    out, err = capsys.readouterr()
    assert err == ""
    items = [
        (f["location"]["row"], f["location"]["column"], f["code"], f["message"])
        for f in json.loads(out)
    ]
    return rc, items


def base() -> str:
    return BAD.read_text(encoding="utf-8")


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def summary(items):
    return sorted((line, code) for line, _, code, _ in items)


SELECT = ["--select", "ID105,NA101,FM199"]
ALL = [(14, "ID105")] + [(n, "NA101") for n in sorted(NA_LINES)]


def test_baseline(capsys, tmp_path):
    rc, items = lint(capsys, tmp_path, base(), *SELECT)
    assert summary(items) == ALL


def test_own_line_before_the_first_key_suppresses_in_the_whole_record(capsys, tmp_path):
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=NA101\nfigid:")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert summary(items) == [(15, "ID105")]  # every line moved down by one


def test_own_line_anywhere_suppresses_in_the_whole_record(capsys, tmp_path):
    text = sub(base(), "figtype: Figure\n", "figtype: Figure\n# pfocr-lint: disable=NA101\n")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert summary(items) == [(14, "ID105")]


def test_own_line_indented_inside_a_nested_mapping(capsys, tmp_path):
    text = sub(
        base(), "  '@type': Dataset\n", "  '@type': Dataset\n  # pfocr-lint: disable=ID105\n"
    )
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert summary(items) == [(n, "NA101") for n in sorted(NA_LINES)]


def test_end_of_line_suppresses_on_that_line_only(capsys, tmp_path):
    text = sub(base(), DOI, "doi: .na.character  # pfocr-lint: disable=NA101\n")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert summary(items) == [x for x in ALL if x != (30, "NA101")]
    assert rc == 1


def test_several_codes_in_one_comment(capsys, tmp_path):
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=ID105, na101\nfigid:")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert (rc, items) == (0, [])


def test_unused_on_a_line(capsys, tmp_path):
    text = sub(base(), "year: '2021'\n", "year: '2021'  # pfocr-lint: disable=NA101\n")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    fm199 = [x for x in items if x[2] == "FM199"]
    col = len("year: '2021'  # pfocr-lint: disable=") + 1
    assert [(line, c) for line, c, _, _ in fm199] == [(29, col)]
    assert "NA101" in fm199[0][3] and "on this line" in fm199[0][3]
    assert summary([x for x in items if x[2] != "FM199"]) == ALL


def test_unused_in_the_record(capsys, tmp_path):
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=ID103\nfigid:")
    rc, items = lint(capsys, tmp_path, text, "--select", "ID103,FM199")
    assert len(items) == 1
    line, col, code, message = items[0]
    assert (line, col, code) == (2, len("# pfocr-lint: disable=") + 1, "FM199")
    assert "ID103" in message and "in this record" in message
    assert rc == 0  # FM199 is info: below the default failing severity


def test_unknown_code(capsys, tmp_path):
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=NA101,XX123\nfigid:")
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    fm199 = [x for x in items if x[2] == "FM199"]
    assert len(fm199) == 1
    assert fm199[0][:2] == (2, len("# pfocr-lint: disable=NA101,") + 1)
    assert "unknown rule code 'XX123'" in fm199[0][3]
    assert [x for x in items if x[2] == "NA101"] == []


def test_rule_not_enabled(capsys, tmp_path):
    text = sub(base(), DOI, "doi: .na.character  # pfocr-lint: disable=NA101\n")
    rc, items = lint(capsys, tmp_path, text, "--select", "ID105,FM199")
    fm199 = [x for x in items if x[2] == "FM199"]
    assert len(fm199) == 1
    assert fm199[0][0] == 30
    assert "NA101" in fm199[0][3] and "not enabled" in fm199[0][3]


def test_fm199_can_itself_be_disabled(capsys, tmp_path):
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=XX123\nfigid:")
    rc, items = lint(capsys, tmp_path, text, *SELECT, "--ignore", "FM199")
    assert summary(items) == [(n + 1, c) for n, c in ALL]


def test_a_read_finding_can_be_suppressed(capsys, tmp_path):
    text = sub(
        base(), "year: '2021'\n", "year: '2021'\nyear: '2021'  # pfocr-lint: disable=FM103\n"
    )
    rc, items = lint(capsys, tmp_path, text, "--select", "FM")
    assert items == []


def test_comment_text_inside_a_scalar_is_not_a_suppression(capsys, tmp_path):
    text = sub(
        base(),
        "figtype: Figure\n",
        "figtype: Figure\nnote: |\n  text # pfocr-lint: disable=NA101\n"
        'other: "multi\n  line # pfocr-lint: disable=ID105"\n',
    )
    rc, items = lint(capsys, tmp_path, text, *SELECT)
    assert summary(items) == ALL  # nothing suppressed, no FM199


def test_suppression_only_affects_its_own_file(capsys, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / BAD.name).write_bytes(BAD.read_bytes())
    text = sub(base(), "---\nfigid:", "---\n# pfocr-lint: disable=NA101,ID105\nfigid:")
    (tmp_path / BAD.name).write_text(text, encoding="utf-8")
    rc = main(["check", "--no-cache", "--output-format", "json", *SELECT, BAD.name, "other"])
    found = json.loads(capsys.readouterr().out)
    assert {f["filename"] for f in found} == {f"other/{BAD.name}"}
    assert len(found) == len(ALL)
    assert rc == 1
