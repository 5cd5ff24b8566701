"""linter/reading/yaml11.py: YAML 1.1's implicit types, resolved and built
without PyYAML, exactly as PyYAML's ``Resolver`` and ``SafeConstructor``
do; and a run whose records the scanner reads never imports PyYAML."""

from __future__ import annotations

import math
import random

import yaml
from conftest import SEEDS, run_python

from linter.reading import yaml11

# every character an implicit pattern looks at, and a few others
_ALPHABET = "yYnNtTfFoOlLuUeEsSrRaAbBxXiI~.-+_:0123456789<=!&* \tZz"
_KNOWN = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "yes",
    "No",
    "ON",
    "oFF",
    "y",
    "n",
    "0",
    "-0",
    "+0",
    "00",
    "007",
    "08",
    "0b101",
    "-0b1_0",
    "0x1F",
    "0xg",
    "0o7",
    "1_000",
    "1:20",
    "190:20:30",
    "-1:59",
    "1:60",
    "0.5",
    ".5",
    "-.5",
    "1.",
    "1e5",
    "1.0e+5",
    "1.0e5",
    "6.8523015e+5",
    "685.230_15e+03",
    "190:20:30.15",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "-.nan",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2001-1-4",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "10.1371/journal",
    "14-3-3",
    ".na.character",
    "0.9537671",
    "2020",
    "1_",
    "0b",
    "0x",
    "+",
    "-",
    ".",
]


def _values() -> list[str]:
    rng = random.Random(20261207)
    out = list(_KNOWN)
    out += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 9))) for _ in range(60000)]
    return out


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def test_resolve_matches_pyyaml():
    resolver = yaml.resolver.Resolver()
    for value in _values():
        want = resolver.resolve(yaml.ScalarNode, value, (True, False))
        assert yaml11.resolve(value) == want, value


def test_construct_matches_pyyaml():
    constructor = yaml.constructor.SafeConstructor()
    build = {
        yaml11.INT: constructor.construct_yaml_int,
        yaml11.FLOAT: constructor.construct_yaml_float,
        yaml11.BOOL: constructor.construct_yaml_bool,
        yaml11.NULL: constructor.construct_yaml_null,
    }
    checked = {tag: 0 for tag in build}
    for value in _values():
        tag = yaml11.resolve(value)
        if tag not in build:
            continue
        checked[tag] += 1
        try:
            want = build[tag](yaml.ScalarNode(tag, value))
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            try:
                yaml11.CONSTRUCT[tag](value)
            except Exception as mine:  # noqa: BLE001
                assert type(mine) is type(exc), value
                continue
            raise AssertionError(f"{value!r}: PyYAML fails, yaml11 does not") from exc
        got = yaml11.CONSTRUCT[tag](value)
        assert _same(got, want), (value, got, want)
    assert all(n > 20 for n in checked.values()), checked


def test_a_scanned_record_never_imports_pyyaml(tmp_path):
    """A record of the shape PyYAML is not needed for (the scanner reads it,
    no fix writes a value through PyYAML's writer) runs without importing it;
    a record the scanner leaves to libyaml imports it."""
    seed = SEEDS / "PMC6457213__advances029850f7.md"
    flow = tmp_path / "PMC1__f1.md"
    flow.write_text("---\nfigid: PMC1__f1\nkeywords: [a, b]\n---\n", encoding="utf-8")
    code = f"""
        import sys
        from linter.cli.main import main
        for path in ({str(seed)!r}, {str(flow)!r}):
            try:
                main(["check", "--no-cache", "-q", path])
            except SystemExit:
                pass
            print("YAML", "yaml" in sys.modules)
        """
    out = run_python(code)
    assert [line for line in out.splitlines() if line.startswith("YAML ")] == [
        "YAML False",
        "YAML True",
    ]
