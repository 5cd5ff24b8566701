"""Old import paths, kept working for one release (0.2.x drops them).

Until 0.1.0 the package was flat (``linter.engine``, ``linter.api``,
``linter.reader``…); the modules now live in layer folders. ``import
linter.api`` (or any path in :data:`MOVED`) still works: the old name is an
alias of the new module, the very same object, so attributes set on one are
seen through the other. Nothing here is imported until an old path is.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec

#: old module path -> new one
MOVED = {
    "linter.model": "linter.base.model",
    "linter.exitcodes": "linter.base.exitcodes",
    "linter.values": "linter.base.values",
    "linter.reader": "linter.reading.reader",
    "linter.annotations": "linter.reading.annotations",
    "linter.generation": "linter.reading.generation",
    "linter.schema": "linter.reading.schema",
    "linter._schema_fast": "linter.reading._schema_fast",
    "linter.reference": "linter.knowledge.reference",
    "linter.lexicon": "linter.knowledge.lexicon",
    "linter.abbreviations": "linter.knowledge.abbreviations",
    "linter.registry": "linter.rules.registry",
    "linter.edits": "linter.rules.edits",
    "linter.explain": "linter.cli.explain",
    "linter.fingerprint": "linter.engine.fingerprint",
    "linter.api": "linter.pipeline.check",
    "linter.config": "linter.pipeline.config",
    "linter.discovery": "linter.pipeline.discovery",
    "linter.cache": "linter.pipeline.cache",
    "linter.baseline": "linter.pipeline.baseline",
    "linter.changes": "linter.pipeline.changes",
    "linter.run": "linter.cli.check",
    "linter.review": "linter.cli.review",
    "linter.progress": "linter.cli.progress",
}


class _Alias:
    """A meta path finder and loader (importlib's protocols; its abstract base
    classes would cost start-up time): finds an old path and loads it as the
    new module itself."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return ModuleSpec(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module) -> None:
        pass  # the new module is already executed


def install() -> None:
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias())
