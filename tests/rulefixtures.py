"""Data-driven rule fixtures (record in, findings and fixed record out).

One YAML file per rule in ``tests/fixtures/rules/<CODE>.yaml``::

    rule: NA101
    cases:
    - name: doi placeholder
      base: seed:PMC7773330__hs9-5-e516-g001   # or corpus:<figid>, or record: | (front
                                               # matter, delimiters added), or text: | (verbatim)
      replace:                   # text substitutions on the base, each must match
      - ["doi: 10.1/x", "doi: .na.character"]
      select: [NA101]            # default: [rule]
      options: {}                # rule/collection options (as in the config)
      files: {"../_data/PMC1__f1-genes.tsv": "..."}   # extra files beside the record
      filename: _figures/PMC1__f1.md                   # default: <figid>.md
      findings:                  # exactly these, in order; message is a substring
      - {line: 30, col: 6, code: NA101, message: ".na.character"}
      fixed: |                   # optional: the text after --fix (--unsafe-fixes if unsafe: true)
        ...
      unsafe: false
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import CORPUS, ROOT

from linter.engine import Linter, Settings, fix_text

FIXTURES = ROOT / "tests" / "fixtures" / "rules"


def base_text(base: str) -> str:
    kind, _, name = base.partition(":")
    if kind == "seed":
        return (ROOT / "seeds" / f"{name}.md").read_text(encoding="utf-8")
    if kind == "corpus":
        return (CORPUS / "_figures" / f"{name}.md").read_text(encoding="utf-8")
    raise ValueError(f"unknown base {base!r}")


def case_text(case: dict) -> str:
    if "text" in case:  # verbatim file text (no delimiters added)
        text = case["text"]
    elif "record" in case:
        text = case["record"]
        if not text.startswith("---"):
            text = "---\n" + text + ("" if text.endswith("\n") else "\n") + "---\n"
    else:
        text = base_text(case["base"])
    for old, new in case.get("replace", []):
        count = text.count(old)
        assert count == 1, f"replace target {old!r} found {count} times"
        text = text.replace(old, new)
    return text


def load_cases():
    out = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(spec["cases"]):
            case.setdefault("select", [spec["rule"]])
            out.append((f"{path.stem}-{i}-{case.get('name', '')}", spec["rule"], case))
    return out


def default_filename(text: str) -> str:
    m = re.search(r"^figid: (\S+)$", text, re.M)
    return f"{m.group(1)}.md" if m else "record.md"


def write_case(case: dict, folder: Path, text: str | None = None) -> tuple[Path, Linter]:
    """The case's record (``text``, else the case's own) and extra files
    written under ``folder``; the path of the record and a linter with the
    case's selection and options."""
    own = case_text(case)
    target = folder / (case.get("filename") or default_filename(own))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(own if text is None else text, encoding="utf-8")
    for rel, content in (case.get("files") or {}).items():
        p = (target.parent / rel).resolve()
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
    settings = Settings(
        select=frozenset(case["select"]), root=folder, options=dict(case.get("options") or {})
    )
    return target, Linter(settings)


def run_case(case: dict, tmp_path: Path):
    text = case_text(case)
    target, linter = write_case(case, tmp_path)
    result = linter.lint_file(target, str(target))
    fixed = None
    if "fixed" in case:
        _, fixed, _ = fix_text(linter, text, str(target), target, bool(case.get("unsafe")))
    return result, fixed, text
