"""The engine: runs the selected rules over records and stamps their findings.

Everything that is the same for every rule happens here, once: rule selection,
per-file ignores, inline suppression (and FM199 for unused suppressions),
folding schema complaints into more specific findings, severity overrides,
parallelism over files, applying fixes and re-linting until stable.
"""

from __future__ import annotations

from linter.engine.collection import CollectionIndex, collection_findings
from linter.engine.filelint import (
    ANNOTATION_FAMILIES,
    Context,
    FileBrief,
    FileResult,
    Linter,
    RenderedFiles,
)
from linter.engine.fixing import (
    MAX_FIX_PASSES,
    applicable,
    apply_fixes,
    fix_text,
    read_for_fix,
    withhold,
    write_fix,
)
from linter.engine.pool import lint_files
from linter.engine.settings import InternalError, Settings, fails
from linter.engine.suppression import (
    SUPPRESS_KEY,
    SUPPRESS_RE,
    Suppression,
    apply_suppressions,
    parse_suppressions,
)

__all__ = [
    "ANNOTATION_FAMILIES",
    "MAX_FIX_PASSES",
    "SUPPRESS_KEY",
    "SUPPRESS_RE",
    "CollectionIndex",
    "Context",
    "FileBrief",
    "FileResult",
    "InternalError",
    "Linter",
    "RenderedFiles",
    "Settings",
    "Suppression",
    "applicable",
    "apply_fixes",
    "apply_suppressions",
    "collection_findings",
    "fails",
    "fix_text",
    "read_for_fix",
    "withhold",
    "write_fix",
    "lint_files",
    "parse_suppressions",
]
