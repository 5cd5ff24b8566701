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
    import hashlib

    from linter.reading import _schema_fast

    digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()
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
