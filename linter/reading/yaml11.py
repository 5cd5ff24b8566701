"""YAML 1.1's implicit types of a plain scalar (bool, int, float, null,
timestamp, merge, value), resolved and built as PyYAML's ``Resolver`` and
``SafeConstructor`` do, without importing PyYAML: the scanner
(:mod:`linter.reading.scan`) reads the front matter PFOCR writes with these,
and PyYAML loads only for the rest (:mod:`linter.reading.compose`) or to
write a fix's value (:mod:`linter.rules.edits`).

The patterns and the conversions are PyYAML's (``yaml/resolver.py``,
``yaml/constructor.py``; MIT licence, Copyright (c) 2017-2021 Ingy döt Net,
Copyright (c) 2006-2016 Kirill Simonov); ``tests/test_yaml11.py`` checks
both against PyYAML on every kind of scalar.
"""

from __future__ import annotations

import re

CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (CORE + t for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP = CORE + "timestamp"
SEQ, MAP = CORE + "seq", CORE + "map"
#: the scalar tags a record may hold (merge, value and yaml may not)
SCALAR_TAGS = frozenset((STR, INT, FLOAT, BOOL, NULL, TIMESTAMP))

#: the first characters for which an implicit type can be anything but a
#: string; of those, the letters start only the bool and null words
IMPLICIT_STARTS = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
WORD_STARTS = frozenset("yYnNtTfFoO")
RESOLVED_WORDS = frozenset(
    v
    for w in ("yes", "no", "true", "false", "on", "off", "null")
    for v in (w, w.title(), w.upper())
)

_BOOL = re.compile(
    r"""^(?:yes|Yes|YES|no|No|NO
        |true|True|TRUE|false|False|FALSE
        |on|On|ON|off|Off|OFF)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
    re.X,
)
_MERGE = re.compile(r"^(?:<<)$")
_NULL = re.compile(r"""^(?: ~ |null|Null|NULL | )$""", re.X)
_TIMESTAMP = re.compile(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
         (?:[Tt]|[ \t]+)[0-9][0-9]?
         :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
         (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_VALUE = re.compile(r"^(?:=)$")
_YAML = re.compile(r"^(?:!|&|\*)$")

# first character -> the (tag, pattern) tried in order, as PyYAML registers them
_BY_FIRST: dict[str, list[tuple[str, re.Pattern]]] = {}
for _tag, _rx, _firsts in (
    (BOOL, _BOOL, "yYnNtTfFoO"),
    (FLOAT, _FLOAT, "-+0123456789."),
    (INT, _INT, "-+0123456789"),
    (CORE + "merge", _MERGE, "<"),
    (NULL, _NULL, ["~", "n", "N", ""]),
    (TIMESTAMP, _TIMESTAMP, "0123456789"),
    (CORE + "value", _VALUE, "="),
    (CORE + "yaml", _YAML, "!&*"),
):
    for _c in _firsts:
        _BY_FIRST.setdefault(_c, []).append((_tag, _rx))


def resolve(value: str) -> str:
    """The tag of the plain scalar ``value`` (PyYAML's ``Resolver().resolve(
    ScalarNode, value, (True, False))``)."""
    for tag, rx in _BY_FIRST.get(value[:1], ()):
        if rx.match(value):
            return tag
    return STR


_BOOL_VALUES = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_INF = float("inf")
_NAN = -_INF / _INF


def _sexagesimal(parts: list, zero):
    value = zero
    base = 1
    for digit in reversed(parts):
        value += digit * base
        base *= 60
    return value


def construct_int(value: str) -> int:
    value = value.replace("_", "")
    sign = -1 if value[0] == "-" else +1
    if value[0] in "+-":
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        return sign * _sexagesimal([int(part) for part in value.split(":")], 0)
    return sign * int(value)


def construct_float(value: str) -> float:
    value = value.replace("_", "").lower()
    sign = -1 if value[0] == "-" else +1
    if value[0] in "+-":
        value = value[1:]
    if value == ".inf":
        return sign * _INF
    if value == ".nan":
        return _NAN
    if ":" in value:
        return sign * _sexagesimal([float(part) for part in value.split(":")], 0.0)
    return sign * float(value)


def construct_bool(value: str) -> bool:
    return _BOOL_VALUES[value.lower()]


def construct_null(value: str) -> None:
    return None


#: tag -> the function that builds a scalar of it from its text (a
#: timestamp is kept as its text: none here)
CONSTRUCT = {INT: construct_int, FLOAT: construct_float, BOOL: construct_bool, NULL: construct_null}
