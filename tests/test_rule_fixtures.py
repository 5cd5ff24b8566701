"""Runs every case of tests/fixtures/rules/*.yaml (see rulefixtures.py)."""

import pytest
from rulefixtures import load_cases, run_case

from linter.rules.registry import all_rules

CASES = load_cases()


@pytest.mark.parametrize("rule,case", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fixture(rule, case, tmp_path):
    result, fixed, _ = run_case(case, tmp_path)
    assert result.error is None, result.error
    got = [
        (f.span.line if f.span else None, f.span.col if f.span else None, f.code)
        for f in result.findings
    ]
    want = [(w["line"], w["col"], w["code"]) for w in case["findings"]]
    assert got == want, "\n".join(f"{f.code} {f.span} {f.message}" for f in result.findings)
    for f, w in zip(result.findings, case["findings"]):
        if "message" in w:
            assert w["message"] in f.message, f.message
        if "path" in w:
            assert f.path == w["path"]
        if "fix" in w:
            assert (f.fix.applicability if f.fix else None) == w["fix"]
    if "fixed" in case:
        assert fixed == case["fixed"]


def test_every_rule_has_a_failing_and_a_passing_fixture():
    codes_failing, codes_passing = set(), set()
    for _, rule, case in CASES:
        if any(w["code"] == rule for w in case["findings"]):
            codes_failing.add(rule)
        else:
            codes_passing.add(rule)
    # collection-scope rules (XR) need several records: tests/test_collection.py;
    # run-scope ones (FM198) a whole run: tests/test_baseline.py
    missing = [
        c
        for c, r in all_rules().items()
        if r.scope not in ("collection", "run")
        and (c not in codes_failing or c not in codes_passing)
    ]
    assert not missing, f"rules without a failing and a passing fixture: {missing}"
