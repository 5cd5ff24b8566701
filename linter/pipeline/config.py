"""Configuration: ``[tool.pfocr-lint]`` in ``pyproject.toml`` or a ``pfocr-lint.toml``.

The nearest of the two, searching upward from the linted paths' common folder
(the working directory when no path is given; a
``pyproject.toml`` counts only when it has a ``[tool.pfocr-lint]`` table; a
``pfocr-lint.toml`` holds the same keys at its top level). ``--config`` names a
file explicitly. Unknown keys and codes are configuration errors (exit 2).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.formats import formats_words
from linter.base.model import SEVERITIES
from linter.engine import Settings
from linter.knowledge.options import REFERENCE_KEYS, REFERENCE_LISTS, TABLE_FILES
from linter.reading.files import read_regular
from linter.reading.reader import DEFAULT_MAX_SIZE
from linter.rules.registry import Rule, all_rules, expand

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = ("pfocr-lint.toml", "pyproject.toml")
DEFAULT_INCLUDE = ["*.md"]
DEFAULT_EXCLUDE = [".git", ".hg", ".venv", "venv", "node_modules", "_site", ".pfocr-lint-cache"]

# key -> (type, description); rule options are passed to rules via ctx.options
KEYS: dict[str, tuple[type | tuple, str]] = {
    "select": (list, "rule codes or prefixes to enable (default: ALL)"),
    "extend-select": (list, "codes or prefixes to enable in addition to select"),
    "ignore": (list, "codes or prefixes to disable"),
    "per-file-ignores": (dict, "glob -> codes to disable for matching files"),
    "severity": (dict, "code -> error|warning|info"),
    "fail-on": (str, "lowest severity that makes the run fail (default: warning)"),
    "include": (list, "file globs linted when a directory is given (default: *.md)"),
    "exclude": (list, "file or directory globs never linted"),
    "extend-exclude": (list, "globs excluded in addition to exclude"),
    "paths": (list, "what `pfocr-lint check` lints when given no path"),
    "max-file-size": (int, "FM106: size limit of a record in bytes (default 1 MiB)"),
    "output-format": (str, formats_words()),
    "cache": (bool, "keep a results cache in .pfocr-lint-cache (default: true)"),
    "cache-key": (str, 'what a cache entry is keyed on: "mtime" (default) or "content" (CI)'),
    "baseline": (str, "baseline file: report only findings not in it (relative to this file)"),
    # rule and collection options
    "schema": (str, "SC101: path to another JSON Schema"),
    "data-dir": (str, "sidecar tables folder, relative to a record's folder (default ../_data)"),
    "sidecar-pattern": (str, "sidecar table name pattern (default {figid}-{kind}.tsv)"),
    "check-file-name": (bool, "ID102: compare every file's name with its figid"),
    "reference": (dict, "reference data: extra tables and fresher snapshots"),
}


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Path | None
    root: Path
    values: dict = field(default_factory=dict)

    def get(self, key, default=None):
        return self.values.get(key, default)


def find_config(start: Path) -> Path | None:
    """The nearest configuration upward from ``start``. A ``pyproject.toml``
    counts when it has a ``[tool.pfocr-lint]`` table; one that cannot be
    parsed but names ``pfocr-lint`` would have been used, so it is an error
    (:class:`ConfigError` naming the file and line), never skipped."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml":
                    try:
                        raw = candidate.read_bytes()
                    except OSError as exc:
                        raise ConfigError(
                            f"{candidate}: cannot read: {exc.strerror or exc}"
                        ) from exc
                    if b"pfocr-lint" not in raw:
                        continue
                    data = _parse(candidate, raw)
                    if "pfocr-lint" not in data.get("tool", {}):
                        continue
                return candidate
    return None


_END = "(at end of document)"
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _parse(path: Path, raw: bytes) -> dict:
    """The TOML document in ``raw``; a :class:`ConfigError` naming the file,
    line and column when it is not valid TOML (or not UTF-8)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _AT.search(message)
        if m:
            where = f"{path}:{m.group(1)}:{m.group(2)}"
        elif message.endswith(_END):  # where the document ends
            where = f"{path}:{text.count(chr(10)) + 1}:1"
            message = message[: -len(_END)].rstrip()
        else:
            where = str(path)
        raise ConfigError(f"{where}: invalid TOML: {_AT.sub('', message)}") from None


def common_folder(paths, cwd: Path) -> Path:
    """The deepest folder holding every path (a file counts by its folder):
    where the configuration of a run over ``paths`` is looked for."""
    folders = []
    for p in paths:
        full = cwd / p
        folders.append(str(full if full.is_dir() else full.parent))
    try:
        return Path(os.path.normpath(os.path.commonpath([os.path.abspath(f) for f in folders])))
    except ValueError:  # different drives
        return cwd


def load_config(
    explicit: str | None = None, cwd: Path | None = None, start: Path | None = None
) -> Config:
    """The configuration named by ``explicit``, else the nearest one upward
    from ``start`` (default: ``cwd``). Without one, defaults rooted at ``cwd``."""
    cwd = cwd or Path.cwd()
    path = Path(explicit) if explicit else find_config(start or cwd)
    if path is None:
        return Config(None, cwd, {})
    try:
        raw = read_regular(path, 1 << 24)  # never waits on a FIFO named --config
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    data = _parse(path, raw)
    if path.name == "pyproject.toml" or "tool" in data:
        values = data.get("tool", {}).get("pfocr-lint")
        if values is None:
            raise ConfigError(f"{path}: no [tool.pfocr-lint] table")
    else:
        values = data
    for key, value in values.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown configuration key {key!r}")
        kind = KEYS[key][0]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{path}: {key!r} must be a {_type_name(kind)}")
    if values.get("cache-key", "mtime") not in ("mtime", "content"):
        raise ConfigError(f'{path}: \'cache-key\' must be "mtime" or "content"')
    return Config(path, path.parent.resolve(), dict(values))


def _type_name(kind) -> str:
    return {list: "list", dict: "table", str: "string", int: "integer", bool: "boolean"}.get(
        kind, str(kind)
    )


def _codes(selectors, rules: dict[str, Rule], where: str) -> set[str]:
    out: set[str] = set()
    for sel in selectors:
        if not isinstance(sel, str):
            raise ConfigError(f"{where}: rule selector {sel!r} must be a string")
        try:
            out.update(expand(sel, rules))
        except KeyError:
            raise ConfigError(f"{where}: unknown rule code {sel!r}") from None
    return out


@dataclass
class Overrides:
    """Command-line options that override the configuration."""

    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None


def build_settings(config: Config, cli: Overrides | None = None) -> Settings:
    cli = cli or Overrides()
    rules = all_rules()
    where = str(config.path) if config.path else "configuration"
    select = _codes(config.get("select", ["ALL"]), rules, where)
    select |= _codes(config.get("extend-select", []), rules, where)
    select -= _codes(config.get("ignore", []), rules, where)
    if cli.select is not None:
        select = _codes(cli.select, rules, "--select")
    if cli.extend_select:
        select |= _codes(cli.extend_select, rules, "--extend-select")
    if cli.ignore:
        select -= _codes(cli.ignore, rules, "--ignore")
    severity = {}
    for code, sev in config.get("severity", {}).items():
        if code.upper() not in rules:
            raise ConfigError(f"{where}: severity: unknown rule code {code!r}")
        if sev not in SEVERITIES:
            raise ConfigError(f"{where}: severity of {code}: {sev!r} is not one of {SEVERITIES}")
        severity[code.upper()] = sev
    per_file = []
    for pattern, codes in config.get("per-file-ignores", {}).items():
        if isinstance(codes, str):
            codes = [codes]
        per_file.append((pattern, frozenset(_codes(codes, rules, f"{where}: per-file-ignores"))))
    fail_on = cli.fail_on or config.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise ConfigError(f"{where}: fail-on: {fail_on!r} is not one of {SEVERITIES}")
    options = {
        k: v
        for k, v in config.values.items()
        if k in ("schema", "data-dir", "sidecar-pattern", "check-file-name", "reference")
    }
    if "max-file-size" in config.values:  # sidecar tables obey it too
        options["max-file-size"] = config.get("max-file-size")
    if "schema" in options and config.path:
        options["schema"] = str((config.root / options["schema"]).resolve())
    if "schema" in options and not Path(options["schema"]).is_file():
        # checked here: a FIFO or a folder would hang or fail the linting
        raise ConfigError(f"{where}: schema: {options['schema']!r} is not a regular file")
    if "reference" in options:
        options["reference"], options["reference-files"] = _reference_options(
            options["reference"], config.root, where
        )
    return Settings(
        select=frozenset(select),
        severity=severity,
        per_file_ignores=per_file,
        fail_on=fail_on,
        max_size=config.get("max-file-size", DEFAULT_MAX_SIZE),
        root=config.root,
        options=options,
        config_root=config.root,
    )


# [tool.pfocr-lint.reference]: keys as linter.knowledge.reference.configure_from_options
# takes them; the paths (relative to the configuration's folder) must exist.


def _reference_options(table: dict, root: Path, where: str) -> tuple[dict, list]:
    """Validate ``[tool.pfocr-lint.reference]``: known keys, paths that exist.
    Returns the table with absolute paths, and (path, size, mtime) of every
    file named, so that editing a table invalidates the results cache."""
    unknown = sorted(set(table) - set(REFERENCE_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} in [tool.pfocr-lint.reference]; "
            f"expected some of {', '.join(REFERENCE_KEYS)}"
        )
    out: dict = {}
    stamps: list = []

    def resolve(key: str, value) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: reference.{key}: expected a path, got {value!r}")
        path = Path(value).expanduser()
        path = (path if path.is_absolute() else root / path).resolve()
        if key == "data-dir":
            if not path.is_dir():
                raise ConfigError(f"{where}: reference.{key}: {value!r} is not a folder")
            for table, name in TABLE_FILES.items():
                if not (path / name).is_file():
                    if table == "hgnc_keys":  # an index: computed when missing
                        continue
                    raise ConfigError(f"{where}: reference.{key}: {value!r} has no {name}")
                st = (path / name).stat()
                stamps.append([str(path / name), st.st_size, st.st_mtime_ns])
        elif not path.is_file():
            raise ConfigError(f"{where}: reference.{key}: no such file {value!r}")
        else:
            st = path.stat()
            stamps.append([str(path), st.st_size, st.st_mtime_ns])
        return str(path)

    for key, value in table.items():
        if key in REFERENCE_LISTS:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list):
                raise ConfigError(f"{where}: reference.{key}: expected a path or a list of paths")
            out[key] = [resolve(key, v) for v in values]
        else:
            out[key] = resolve(key, value)
    return out, stamps
