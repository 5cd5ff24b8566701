"""The JSON Schema: valid, descriptive, fast path equivalent to jsonschema, and
the real records pass it except where they hold a real defect."""

import copy
import json
from pathlib import Path

import yaml
from conftest import CORPUS, ROOT, SEEDS, load_tool
from jsonschema import Draft202012Validator

from linter.reading import _schema_fast
from linter.reading.schema import SchemaValidator, load_schema, schema_path

SCHEMA_FILE = ROOT / "schema" / "pfocr-figure.schema.json"


def _front_matter(path: Path):
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("\n---", 1)[0][4:], Loader=yaml.CSafeLoader)


def _records():
    return sorted(SEEDS.glob("*.md")) + sorted((CORPUS / "_figures").glob("*.md"))


def test_schema_is_valid_2020_12_and_is_the_shipped_one():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert load_schema() == schema
    assert schema_path().read_bytes() == SCHEMA_FILE.read_bytes()


def test_every_property_has_a_description():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not (isinstance(sub, dict) and sub.get("description")):
                    missing.append(f"{where}/{name}")
                walk(sub, f"{where}/{name}")
            for key in ("items", "$defs"):
                if key in node:
                    sub = node[key]
                    if key == "$defs":
                        for n, d in sub.items():
                            walk(d, f"{where}/$defs/{n}")
                    else:
                        walk(sub, f"{where}[]")
            for key in ("anyOf", "oneOf"):
                for i, sub in enumerate(node.get(key, [])):
                    walk(sub, f"{where}/{key}{i}")

    walk(schema, "")
    assert not missing


def test_generated_fast_validator_is_up_to_date():
    gen = load_tool("gen_schema_validator")
    expected = gen.generate()
    actual = (ROOT / "linter" / "reading" / "_schema_fast.py").read_text(encoding="utf-8")
    assert actual == expected, "run: python tools/gen_schema_validator.py"
    assert gen.schema_digest(load_schema()) == _schema_fast.SCHEMA_SHA256


def _mutants(docs):
    for d in docs:
        yield d
        for key in list(d):
            for value in (None, 1, 1.5, "x", [], {}, ["NA"], "", -1):
                m = copy.deepcopy(d)
                m[key] = value
                yield m
            m = copy.deepcopy(d)
            del m[key]
            yield m
        for key in d.get("schema-jsonld", {}):
            for value in (None, 1, "x", []):
                m = copy.deepcopy(d)
                m["schema-jsonld"][key] = value
                yield m
        for kind in ("genes", "chemicals", "diseases"):
            if d.get(kind):
                for key in d[kind][0]:
                    for value in (None, 1, "012", "", "x", "D12345"):
                        m = copy.deepcopy(d)
                        m[kind][0][key] = value
                        yield m


def test_fast_path_agrees_with_jsonschema_on_real_and_mutated_records():
    docs = [_front_matter(p) for p in _records()[:20]]
    full = Draft202012Validator(load_schema())
    fast = SchemaValidator(load_schema())._fast_check()
    assert fast, "the shipped fast validator must load"
    n = disagree = 0
    for m in _mutants(docs):
        n += 1
        if fast(m) != (not any(True for _ in full.iter_errors(m))):
            disagree += 1
    assert n > 2500
    assert disagree == 0


# Real records that fail the schema, and why: each is a real defect that a more
# specific rule reports (the schema's complaint is folded into it).
KNOWN_SCHEMA_FAILURES = {
    # doi: .na.character -> NA101
    "PMC1087184__JCI0525100.f2.md": {("/doi", "pattern")},
    "PMC1483167__JCI0629160.f1.md": {("/doi", "pattern")},
    # doi: .na.character -> NA101; figlink without its leading slash -> ID105
    "PMC7773330__hs9-5-e516-g001.md": {("/doi", "pattern"), ("/figlink", "pattern")},
}


def test_real_records_pass_the_schema_except_known_defects():
    validator = Draft202012Validator(load_schema())
    failures = {}
    for path in _records():
        errs = {
            ("".join(f"/{p}" for p in e.absolute_path), e.validator)
            for e in validator.iter_errors(_front_matter(path))
        }
        if errs:
            failures[path.name] = errs
    assert failures == KNOWN_SCHEMA_FAILURES
