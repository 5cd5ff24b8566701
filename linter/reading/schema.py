"""Loading the JSON Schema and validating records against it.

The schema ships as ``schema/pfocr-figure.schema.json`` (installed as the
``linter.reading.schema`` package data). Validation has a fast path: the schema
compiled to one plain-Python ``is_valid`` check (tools/gen_schema_validator.py;
another schema is compiled with fastjsonschema); only a record it rejects
goes through jsonschema's Draft 2020-12 validator, which yields every
violation with its instance path (a test pins that both agree).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from linter.base.digests import sha256

SCHEMA_NAME = "pfocr-figure.schema.json"


def schema_path() -> Path:
    package = Path(__file__).resolve().parent.parent  # linter/
    for candidate in (package / "schema" / SCHEMA_NAME, package.parent / "schema" / SCHEMA_NAME):
        if candidate.is_file():
            return candidate
    from importlib.resources import files

    return Path(str(files("linter.schema") / SCHEMA_NAME))


@cache
def load_schema(path: str | None = None) -> dict:
    with open(path or schema_path(), encoding="utf-8") as fh:
        return json.load(fh)


def _compiled_check(schema: dict):
    """A fast ``data -> bool`` validity check, or False when none is available.

    The shipped schema has a pre-generated one (``linter/reading/_schema_fast.py``,
    see tools/gen_schema_validator.py); another schema is compiled with
    fastjsonschema when it is installed."""
    from linter.reading import _schema_fast

    digest = sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()
    if digest == _schema_fast.SCHEMA_SHA256:
        return _schema_fast.is_valid
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - optional accelerator
        return False
    func = fastjsonschema.compile(copy.deepcopy(schema))  # compile mutates its input
    exc = fastjsonschema.JsonSchemaException

    def check(data, _f=func, _e=exc):
        try:
            _f(data)
            return True
        except _e:
            return False

    return check


class SchemaValidator:
    def __init__(self, schema: dict):
        self.schema = schema
        self._fast = None
        self._full = None

    def _fast_check(self):
        if self._fast is None:
            self._fast = _compiled_check(self.schema)
        return self._fast

    def full(self):
        """jsonschema's validator (imported and built on first use: only a
        record the fast check rejects needs it)."""
        if self._full is None:
            from jsonschema import Draft202012Validator

            self._full = Draft202012Validator(self.schema)
        return self._full

    def errors(self, data) -> list:
        fast = self._fast_check()
        if fast and fast(data):
            return []
        return list(self.full().iter_errors(data))


def nested_repeat(pattern: str) -> bool:
    """Does ``pattern`` repeat, without bound, something that is itself an
    unbounded repeat with nothing else required beside it (``(a+)+``,
    ``(\\w*\\s?)*``, ``(x+x+)+``)? Python's backtracking engine can take
    time exponential in a value's length on those. ``([A-Z][a-z]+ )*`` is
    fine: each round needs its space. False for every pattern of the shipped
    schema, and when ``pattern`` does not compile. Possessive repeats
    (``a++``) and atomic groups never backtrack into themselves."""
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - re.error; the caller reports it
        return False
    big = sre_parse.MAXREPEAT

    def repeat(op, av) -> bool:
        return str(op) in ("MAX_REPEAT", "MIN_REPEAT") and (av[1] == big or av[1] > 1000)

    stack = [list(parsed)]  # without recursion: a pattern nests as deep as it likes
    while stack:
        for op, av in stack.pop():
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT"):
                if repeat(op, av) and _only_repeats(list(av[2]), repeat):
                    return True
                stack.append(list(av[2]))
            elif name == "SUBPATTERN":
                stack.append(list(av[-1]))
            elif name == "BRANCH":
                stack.extend(list(b) for b in av[1])
            elif name in ("ASSERT", "ASSERT_NOT"):
                stack.append(list(av[1]))
    return False


def _only_repeats(body: list, repeat) -> bool:
    """A repeat's body holds an unbounded repeat, and nothing it must match
    besides (only other repeats, optional parts and zero-width anchors)."""
    found = False
    items = list(body)
    while items:
        op, av = items.pop()
        name = str(op)
        if name == "SUBPATTERN":
            items.extend(av[-1])
        elif repeat(op, av):
            found = True
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0:
            continue  # optional
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width
        else:
            return False  # something each round must match
    return found
