"""The rule registry.

A rule is a plain function decorated with :func:`rule`. Its docstring is its
documentation (``pfocr-lint rule CODE`` prints it), written in sections::

    One-line title.

    What: ...
    Why: ...
    Fails:
        <YAML that triggers the rule>
    Passes:
        <YAML that does not>

The function receives a :class:`~linter.reading.reader.Record` and a
:class:`Context` and yields :class:`~linter.base.model.Problem` objects. It knows
nothing of output, severity overrides or suppressions: the engine stamps code,
name and severity, resolves positions and applies selection and suppression.

``scope`` says when the rule runs:

- ``"record"`` (default): once per parsed record;
- ``"read"``: findings produced by the reader (FM family); no function body;
- ``"run"``: findings produced by the run itself (FM198, the baseline's
  unused entries); no function body;
- ``"collection"``: once per run over the collection index (XR family);
  the function receives the index and the context instead of a record.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

FAMILIES = {
    "FM": "file and YAML",
    "SC": "JSON Schema",
    "NA": "placeholders leaked from upstream tools",
    "ID": "identity and link consistency",
    "KW": "keywords against annotations",
    "GN": "genes",
    "CH": "chemicals",
    "DI": "diseases",
    "MD": "paper and figure metadata",
    "XR": "across records (whole collection)",
}
# the modules that hold each family's rules: linter/rules/<module>.py
FAMILY_MODULES = {
    "FM": ("fm", "fm_sidecar"),
    "SC": "sc",
    "NA": "na",
    "ID": "ids",
    "KW": ("kw", "kw_content"),
    "GN": ("gn", "gn_reference", "gn106", "gn_alias", "gn_malformed", "gn_species"),
    "CH": ("chem", "chem_grounding"),
    "DI": "chem",
    "MD": ("md", "md_content", "md_organisms"),
    "XR": ("xr", "xr_orphans"),
}
CODE_RE = re.compile(r"^[A-Z]{2}[0-9]{3}$")


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    fix: str  # "safe" | "unsafe" | "safe/unsafe" | "none"
    func: Callable | None
    scope: str = "record"
    needs: tuple[str, ...] = ()  # e.g. ("reference",), ("annotations",)
    options: dict = field(default_factory=dict)
    doc: str = ""
    module: str = ""  # the module that registered it

    @property
    def family(self) -> str:
        return self.code[:2]

    @property
    def title(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    def sections(self) -> dict[str, str]:
        """Split the docstring into its title and named sections."""
        lines = self.doc.strip("\n").splitlines()
        out: dict[str, list[str]] = {"title": [lines[0].strip()] if lines else []}
        current = "description"
        out[current] = []
        for line in lines[1:]:
            m = re.match(r"^(What|Why|Fails|Passes|Fix|Options|Notes):\s*(.*)$", line.strip())
            if m and not line.startswith("        "):
                current = m.group(1).lower()
                out[current] = [m.group(2)] if m.group(2) else []
            else:
                out.setdefault(current, []).append(line)
        return {k: _dedent("\n".join(v)).strip() for k, v in out.items() if "\n".join(v).strip()}


def _dedent(text: str) -> str:
    return inspect.cleandoc(text) if text.strip() else ""


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    fix: str = "none",
    scope: str = "record",
    needs: tuple[str, ...] = (),
    options: dict | None = None,
):
    """Register a rule function (or, with ``scope="read"``, a documentation-only
    stub for findings the reader produces)."""
    if not CODE_RE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if severity not in ("error", "warning", "info"):
        raise ValueError(f"bad severity {severity!r} for {code}")

    def deco(func):
        if code in _RULES:
            raise ValueError(f"rule {code} registered twice")
        _RULES[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            fix=fix,
            func=None if scope in ("read", "run") else func,
            scope=scope,
            needs=needs,
            options=dict(options or {}),
            doc=inspect.cleandoc(func.__doc__ or ""),
            module=func.__module__,
        )
        return func

    return deco


# the families whose rules run in the collection pass (scope "collection"):
# their suppressions are judged there, whether or not the family is loaded
COLLECTION_FAMILIES = frozenset({"XR"})
_LOADED_FAMILIES: set[str] = set()


def _modules(family: str) -> tuple[str, ...]:
    v = FAMILY_MODULES.get(family, ())
    return (v,) if isinstance(v, str) else v


def _load(families) -> None:
    """Import the rule modules of ``families`` (once): the one seam where rule
    code loads, so that a run loads only the families it selects."""
    for family in sorted(set(families) - _LOADED_FAMILIES):
        for module in _modules(family):
            try:
                importlib.import_module(f"linter.rules.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"linter.rules.{module}":
                    raise
        if family in FAMILY_MODULES:
            _LOADED_FAMILIES.add(family)


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by code (imports every rule module once)."""
    _load(FAMILY_MODULES)
    return dict(sorted(_RULES.items()))


def family_rules(families) -> dict[str, Rule]:
    """The rules of ``families`` (``{"NA", "FM"}``), by code, importing only
    those families' modules."""
    families = set(families)
    _load(families)
    return {c: r for c, r in sorted(_RULES.items()) if r.family in families}


def selector_families(selector: str) -> set[str]:
    """The families a selector (``ALL``, a family, a prefix or a code) can match."""
    sel = selector.strip().upper()
    if sel == "ALL":
        return set(FAMILY_MODULES)
    return {f for f in FAMILY_MODULES if f.startswith(sel[:2])}


def get_rule(code: str) -> Rule | None:
    """The rule of ``code``, or None for a code no rule has (loads its family only)."""
    code = code.upper()
    _load({code[:2]} & set(FAMILY_MODULES))
    return _RULES.get(code)


class Rules(Mapping):
    """Every rule by code, loading a family's modules only when one of its codes
    is looked up (``rules["FM199"]``, ``code in rules``); iterating it loads all."""

    def __getitem__(self, code: str) -> Rule:
        rule_ = get_rule(code) if isinstance(code, str) else None
        if rule_ is None:
            raise KeyError(code)
        return rule_

    def __iter__(self):
        return iter(all_rules())

    def __len__(self) -> int:
        return len(all_rules())


def expand(selector: str, rules: dict[str, Rule]) -> list[str]:
    """Codes matched by a selector: ``ALL``, a family (``GN``), a prefix
    (``GN10``) or a code. Raises KeyError for a selector that matches nothing."""
    sel = selector.strip().upper()
    if sel == "ALL":
        return list(rules)
    hits = [c for c in rules if c.startswith(sel)]
    if not hits:
        raise KeyError(selector)
    return hits
