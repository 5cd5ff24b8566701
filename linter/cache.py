"""The results cache: unchanged files cost a ``stat`` instead of a lint.

One cache file per configuration in ``.pfocr-lint-cache/`` beside the
configuration (or the working directory). An entry is keyed on the file's
size and modification time and on those of the sidecar tables its results may
depend on; the cache file itself is keyed on the linter's version and code,
the selected rules, severities, options and schema, so any change there starts
a fresh cache. Collection (XR) findings are never cached: they are recomputed
every run from the cached per-file index entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from linter import __version__
from linter.annotations import sidecar_locations

CACHE_DIR = ".pfocr-lint-cache"


def _code_digest() -> str:
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*.py")):
        st = p.stat()
        h.update(f"{p.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}".encode())
    schema = pkg.parent / "schema"
    for p in sorted(schema.glob("*.json")) if schema.is_dir() else ():
        h.update(p.read_bytes())
    return h.hexdigest()


def settings_digest(settings) -> str:
    payload = {
        "code": _code_digest(),
        "select": sorted(settings.select),
        "severity": sorted(settings.severity.items()),
        "per_file_ignores": sorted((p, sorted(c)) for p, c in settings.per_file_ignores),
        "max_size": settings.max_size,
        "options": {k: v for k, v in settings.options.items() if not k.startswith("_")},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class Cache:
    def __init__(self, folder: Path, settings):
        self.folder = folder / CACHE_DIR
        self.file = self.folder / f"{settings_digest(settings)[:32]}.pickle"
        self.options = settings.options
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        try:
            with open(self.file, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            self.entries = {}

    def key(self, path: Path) -> tuple | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        parts = [str(path), st.st_size, st.st_mtime_ns]  # the display name is part of the key
        try:  # the same tables the annotations would read
            tables = sidecar_locations(path, str(path), self.options) or {}
        except ValueError:  # a bad pattern: FM107 on every run, no tables to watch
            tables = {}
        for side, _ in tables.values():
            try:
                s = os.stat(side)
                parts += [s.st_size, s.st_mtime_ns]
            except OSError:
                parts.append(None)
        return tuple(parts)

    def get(self, path: Path, key: tuple | None):
        if key is None:
            return None
        hit = self.entries.get(os.path.abspath(path))
        if hit is not None and hit[0] == key:
            return hit[1]
        return None

    def put(self, path: Path, key: tuple | None, result) -> None:
        if key is None or result.error:
            return
        self.entries[os.path.abspath(path)] = (key, result)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written is only a slower next run
