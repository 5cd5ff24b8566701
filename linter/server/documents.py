"""What the editor server lints, without the protocol: an open document's
text linted as ``pfocr-lint check`` would lint the file, with the
configuration the command would find for it, and the sidecar tables the
editor holds open (saved or not) read from their buffers.

The collection (XR) rules need the whole collection and are left to
``pfocr-lint check``; everything else is the command's own engine.
"""

from __future__ import annotations

import bisect
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.model import Finding
from linter.engine import Linter, Settings, fix_text
from linter.pipeline.config import ConfigError, build_settings, load_config
from linter.pipeline.discovery import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    in_scope,
    is_record_candidate,
)
from linter.reading import annotations
from linter.reading.files import confine

__all__ = ["ConfigError", "Lines", "Linted", "Project", "is_record", "is_table"]

# settings kept per configuration (file, folder and values)
_MAX_SETTINGS = 16


def is_table(path: str) -> bool:
    return path.endswith(".tsv")


def is_record(path: str, text: str | None = None) -> bool:
    """A Markdown file that discovery would lint as a record (the same
    function decides); a file not saved yet is judged by its text."""
    if not path.endswith(".md"):
        return False
    if os.path.exists(path) or text is None:
        return is_record_candidate(path)
    folder, name = os.path.split(path)
    if os.path.basename(folder) == "_figures" or (name.startswith("PMC") and "__" in name):
        return True
    return text.lstrip("\ufeff").startswith("---")


class Lines:
    """Line and column conversions for one text: the linter counts 1-based
    lines and columns in code points, the protocol 0-based lines and UTF-16
    code units (a character above U+FFFF is two)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        find = text.find
        at = find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = find("\n", at + 1)

    def _units(self, line: int, col: int) -> int:
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        piece = self.text[start : min(start + max(col, 0), end)]
        return len(piece) + sum(1 for ch in piece if ord(ch) > 0xFFFF)

    def position(self, line: int, col: int) -> tuple[int, int]:
        """The protocol position (line, character) of a 1-based line and column,
        clamped into the text."""
        line = min(max(line - 1, 0), len(self.starts) - 1)
        return line, self._units(line, col - 1)

    def offset_position(self, offset: int) -> tuple[int, int]:
        """The protocol position of a 0-based code point offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, self._units(line, offset - self.starts[line])


@dataclass
class Linted:
    """One document's lint: ``findings`` of the record and of its tables
    (``Finding.filename`` names each file), the text linted, and ``error``
    (an internal error or a configuration error) when it could not be."""

    path: str  # the record's absolute path
    filename: str  # as findings name it
    text: str
    root: str  # findings' file names are relative to it
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    settings: Settings | None = None

    def file_of(self, finding: Finding) -> str:
        """The absolute path of the file a finding is in."""
        return os.path.normpath(os.path.join(self.root, finding.filename))


class _BufferLinter(Linter):
    """The engine's linter, reading a record's sidecar tables from the
    editor's buffers (``buffers``: real path → text) where it holds them."""

    buffers: dict[str, str] = {}

    def _prepare(self, rec) -> None:
        super()._prepare(rec)
        if not self.needs_annotations or not self.buffers:
            return
        data = rec.data if isinstance(rec.data, dict) else {}
        if any(kind in data for kind in annotations.KINDS):
            return  # the front matter's lists win: no table is read
        options = self.ctx.options or {}
        try:
            where = annotations.sidecar_locations(rec.fs_path, rec.filename, options)
        except ValueError:
            return
        if not where or not any(os.path.realpath(fs) in self.buffers for fs, _ in where.values()):
            return
        rec.annotations = _annotations(where, self.buffers, options)


def _annotations(where, buffers: dict[str, str], options: dict):
    """The sidecar annotations as :func:`annotations.load` builds them, a
    table the editor holds read from its buffer (through a temporary copy:
    the reader's limits and messages stay the same)."""
    limit = options.get("max-file-size") or annotations.MAX_TABLE_BYTES
    with tempfile.TemporaryDirectory(prefix="pfocr-lint-lsp-") as tmp:
        return annotations.from_tables(_buffered_tables(where, buffers, limit, tmp))


def _buffered_tables(where, buffers: dict[str, str], limit: int, tmp: str):
    """Each sidecar table read, from its buffer (copied into ``tmp``) where
    the editor holds one: (kind, display name, table or None)."""
    for kind, (fs, display) in where.items():
        text = buffers.get(os.path.realpath(fs))
        if text is not None:
            fs = os.path.join(tmp, f"{kind}.tsv")
            with open(fs, "wb") as fh:
                fh.write(text.encode("utf-8", "surrogatepass"))
        yield kind, display, annotations.read_table(fs, display, kind, limit)


class Project:
    """The server's view of the files: configuration found per document as
    the command finds it (``config``: one named file for all, as ``--config``),
    relative names against the configuration's folder (else ``root``)."""

    def __init__(self, root: str | None = None, config: str | None = None):
        self.root = Path(root).resolve() if root else None
        self.config = config
        self._settings: dict[tuple, tuple[Settings, Linter]] = {}

    def _config(self, folder: Path):
        while not folder.is_dir() and folder.parent != folder:  # a file not saved yet
            folder = folder.parent
        cwd = self.root if self.root and _below(folder, self.root) else folder
        return load_config(self.config, cwd, start=folder)

    def is_record(self, path: str, text: str | None = None) -> bool:
        """A Markdown file that a folder walk would lint as a record under its
        configuration (``include`` / ``exclude``): a Jekyll page, a post or
        ``about.md`` opened in the editor gets no diagnostics, whatever its
        front matter. A configuration that cannot be read: :func:`is_record`."""
        if not path.endswith(".md"):
            return False
        try:
            config = self._config(Path(path).parent)
        except ConfigError:
            return is_record(path, text)
        include = [*config.get("include", DEFAULT_INCLUDE), *config.get("extend-include", [])]
        exclude = [*config.get("exclude", DEFAULT_EXCLUDE), *config.get("extend-exclude", [])]
        return in_scope(path, include, exclude, config.root)

    def _linter(self, folder: Path) -> tuple[Settings, _BufferLinter]:
        config = self._config(folder)
        # read each time (a small file): an edit takes effect on the next lint
        key = (str(config.path), str(config.root), repr(config.values))
        hit = self._settings.get(key)
        if hit is None:
            if len(self._settings) >= _MAX_SETTINGS:
                self._settings.clear()
            settings = build_settings(config)
            hit = self._settings[key] = (settings, _BufferLinter(settings))
        settings, linter = hit
        # one process, several roots: reads stay below this document's
        confine(None if settings.follow_symlinks else settings.root)
        return settings, linter

    def record_of(self, table: str) -> str | None:
        """The record whose sidecar table ``table`` (an absolute path) is."""
        try:
            settings, _ = self._linter(Path(table).parent)
        except ConfigError:
            return None
        record = annotations.record_of_table(table, settings.options)
        return os.path.abspath(record) if record else None

    def lint(
        self,
        path: str,
        text: str,
        buffers: dict[str, str] | None = None,
        *,
        fix: str | None = None,
    ) -> Linted:
        """Lint ``text`` as the record at ``path``; ``fix`` ("safe" or
        "unsafe"): fix it until stable first, ``Linted.text`` the fixed text.
        Never raises for what the document holds."""
        path = os.path.abspath(path)
        try:
            settings, linter = self._linter(Path(path).parent)
        except ConfigError as exc:
            return Linted(path, path, text, "/", error=f"configuration error: {exc}")
        root = str(settings.root)
        below = _below(Path(path), settings.root)  # (the root is a real path)
        filename = os.path.relpath(os.path.realpath(path), root) if below else path
        linted = Linted(path, filename, text, root, settings=settings)
        linter.buffers = {os.path.realpath(k): v for k, v in (buffers or {}).items()}
        previous = os.getcwd()
        try:
            # findings name files relative to the root, as a run from there does
            os.chdir(root)
            if fix is not None:
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    fix = None  # not UTF-8: nothing to fix (FM105 says so)
            if fix is not None and len(text.encode("utf-8")) <= settings.max_size:
                result, fixed, _ = fix_text(linter, text, filename, Path(path), fix == "unsafe")
                linted.text = fixed
            else:
                raw = text.encode("utf-8", "surrogatepass")
                result = linter.lint_bytes(raw, filename, Path(path))
        except OSError as exc:
            linted.error = f"{filename}: {exc.strerror or exc}"
            return linted
        finally:
            linter.buffers = {}
            try:
                os.chdir(previous)
            except OSError:
                pass
        linted.error = result.error
        linted.findings = result.findings
        return linted


def _below(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
