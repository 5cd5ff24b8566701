"""Loading the JSON Schema and validating records against it.

The schema ships as ``schema/pfocr-figure.schema.json`` (installed as the
``linter.schema`` package data). Validation has a fast path: the schema is
compiled once per process with fastjsonschema (~10,000 records/s); only a
record it rejects goes through jsonschema's Draft 2020-12 validator, which
yields every violation with its instance path (a test pins that both agree).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_NAME = "pfocr-figure.schema.json"


def schema_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "schema" / SCHEMA_NAME, here.parent / "schema" / SCHEMA_NAME):
        if candidate.is_file():
            return candidate
    from importlib.resources import files

    return Path(str(files("linter.schema") / SCHEMA_NAME))


@cache
def load_schema(path: str | None = None) -> dict:
    with open(path or schema_path(), encoding="utf-8") as fh:
        return json.load(fh)


class SchemaValidator:
    def __init__(self, schema: dict):
        self.schema = schema
        self._fast = None
        self._full = None

    def _fast_check(self):
        if self._fast is None:
            try:
                import fastjsonschema
            except ImportError:  # pragma: no cover - optional accelerator
                self._fast = False
            else:
                compiled = fastjsonschema.compile(self.schema)

                def check(data, _c=compiled, _e=fastjsonschema.JsonSchemaException):
                    try:
                        _c(data)
                        return True
                    except _e:
                        return False

                self._fast = check
        return self._fast

    def errors(self, data) -> list:
        fast = self._fast_check()
        if fast and fast(data):
            return []
        if self._full is None:
            from jsonschema import Draft202012Validator

            self._full = Draft202012Validator(self.schema)
        return list(self._full.iter_errors(data))
