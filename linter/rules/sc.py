"""SC – the JSON Schema in ``schema/`` applied to the front matter."""

from __future__ import annotations

from linter.base.model import Problem
from linter.base.values import clip, kind, quote, short
from linter.reading.reader import escape_pointer
from linter.reading.schema import SchemaValidator, load_schema
from linter.rules.registry import rule

# keywords whose complaint is about the node's own value; a more specific rule
# reporting the same node supersedes them (one defect, one finding)
_VALUE_KEYWORDS = {
    "type", "pattern", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "anyOf", "oneOf", "minLength", "maxLength", "maxItems", "minItems",
}  # fmt: skip
_TYPE_NAMES = {
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "null": "null",
}


def _pointer(parts) -> str:
    return "".join(f"/{escape_pointer(p) if isinstance(p, str) else p}" for p in parts)


def _expected(schema: dict) -> str:
    if "type" in schema:
        t = schema["type"]
        names = [_TYPE_NAMES.get(x, x) for x in (t if isinstance(t, list) else [t])]
        desc = " or ".join(names)
        if "pattern" in schema:
            desc += f" matching {schema['pattern']}"
        return desc
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(map(repr, schema["enum"]))
    return "a value of another shape"


def describe(err) -> tuple[str, str, bool, bool]:
    """(path, message, about_value, at_key) for one jsonschema error."""
    kw = err.validator
    path = _pointer(err.absolute_path)
    where = clip(path) if path else "the record"
    value = err.instance
    if kw == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return path, f"{where}: missing required key {missing!r}", False, False
    if kw == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        extras = sorted(k for k in value if k not in allowed)
        key = extras[0] if extras else ""
        msg = f"{where}: unknown key {quote(key)}" + (
            f" (and {len(extras) - 1} more)" if len(extras) > 1 else ""
        )
        return f"{path}/{escape_pointer(key)}", msg, False, True
    if kw == "type":
        return (
            path,
            f"{where}: {short(value)} is {kind(value)}, expected {_expected(err.schema)}",
            True,
            False,
        )
    if kw == "pattern":
        return path, f"{where}: {short(value)} does not match {err.validator_value}", True, False
    if kw == "const":
        return path, f"{where}: {short(value)}, expected {err.validator_value!r}", True, False
    if kw == "enum":
        opts = ", ".join(map(repr, err.validator_value))
        return path, f"{where}: {short(value)} is not one of {opts}", True, False
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "below the minimum", "maximum": "above the maximum",
                 "exclusiveMinimum": "not above", "exclusiveMaximum": "not below"}  # fmt: skip
        return path, f"{where}: {quote(value)} is {words[kw]} {err.validator_value}", True, False
    if kw in ("anyOf", "oneOf"):
        options = " or ".join(_expected(s) for s in err.validator_value)
        return path, f"{where}: {short(value)} is {kind(value)}, expected {options}", True, False
    if kw == "maxItems":
        return (
            path,
            f"{where}: {len(value)} items, at most {err.validator_value} allowed",
            True,
            False,
        )
    # (jsonschema's own message quotes the whole value)
    return path, f"{where}: {clip(err.message)}", kw in _VALUE_KEYWORDS, False


def _validator(ctx) -> SchemaValidator:
    path = ctx.options.get("schema")
    return ctx.resource("schema-validator", lambda: SchemaValidator(load_schema(path)))


def _warm(ctx) -> None:
    """Before worker processes fork: import jsonschema and build its validator
    once, not in every worker at its first invalid record."""
    _validator(ctx).full()


@rule("SC101", "schema", "error", options={"warm": _warm})
def schema(rec, ctx):
    """The front matter violates the PFOCR JSON Schema.

    What: one finding per violation of `schema/pfocr-figure.schema.json`
    (JSON Schema 2020-12): a missing required key (reported at the mapping
    that lacks it), an unknown key, a value of the wrong type, a pattern,
    enum or constant mismatch, a number out of range. The schema describes
    every field of every record generation; `pfocr-lint` folds a schema
    complaint about a node into a more specific rule's finding on the same
    node (NA101 on `doi: .na.character`), so one defect gives one finding.
    Why: downstream tools (the site, the search index, the NDEx export)
    assume the documented shape; a wrong type breaks them silently.
    Options: `schema` (a path to another schema file).
    Fails:
        year: 2019          # a number; the schema wants the string '2019'
        entrez: '05292'     # leading zero
    Passes:
        year: '2019'
        entrez: '5292'
    """
    for err in _validator(ctx).errors(rec.data):
        p, message, about_value, at_key = describe(err)
        yield Problem(p, message, key=at_key, about_value=about_value)
