"""Configuration: ``[tool.pfocr-lint]`` in ``pyproject.toml`` or a ``pfocr-lint.toml``.

The nearest of the two, searching upward from the linted paths' common folder
(the working directory when no path is given; a
``pyproject.toml`` counts only when it has a ``[tool.pfocr-lint]`` table; a
``pfocr-lint.toml`` holds the same keys at its top level). ``--config`` names a
file explicitly. Unknown keys and codes are configuration errors (exit 2).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.formats import FORMATS, formats_words
from linter.base.links import DOCS_URL
from linter.base.model import SEVERITIES
from linter.engine import Settings
from linter.knowledge.options import REFERENCE_KEYS, REFERENCE_LISTS, TABLE_FILES
from linter.pipeline.discovery import translate
from linter.reading.files import read_regular
from linter.reading.reader import DEFAULT_MAX_SIZE
from linter.reading.schema import nested_repeat
from linter.rules.registry import all_rules, expand, family_rules, get_rule, selector_families

CONFIG_NAMES = ("pfocr-lint.toml", "pyproject.toml")

# key -> (type, description); rule options are passed to rules via ctx.options
KEYS: dict[str, tuple[type | tuple, str]] = {
    "select": (list, "rule codes or prefixes to enable (default: ALL)"),
    "extend-select": (list, "codes or prefixes to enable in addition to select"),
    "ignore": (list, "codes or prefixes to disable"),
    "per-file-ignores": (dict, "glob -> codes to disable for matching files"),
    "severity": (dict, "code -> error|warning|info"),
    "fail-on": (str, "lowest severity that makes the run fail (default: warning)"),
    "include": (
        list,
        "globs of the records a folder walk lints (default: **/_figures/**/*.md, PMC*__*.md)",
    ),
    "extend-include": (list, "globs of records in addition to include"),
    "exclude": (list, "file or folder globs never linted (default: .git, _site, ...)"),
    "extend-exclude": (list, "globs excluded in addition to exclude"),
    "respect-gitignore": (bool, "skip what .gitignore files ignore (default: true)"),
    "force-exclude": (bool, "apply include/exclude to paths named on the command line too"),
    "paths": (list, "what `pfocr-lint check` lints when given no path"),
    "max-file-size": (int, "FM106: size limit of a record in bytes (default 1 MiB)"),
    "output-format": (str, formats_words()),
    "cache": (bool, "keep a results cache in .pfocr-lint-cache (default: true)"),
    "cache-key": (
        str,
        'what a cache entry is keyed on: "mtime" (default), "content", or "auto" '
        "(git's blob ids where the tree is a git checkout, else content; the default in CI)",
    ),
    "baseline": (str, "baseline file: report only findings not in it (relative to this file)"),
    "docs-url": (
        str,
        "base URL of the documentation site: JSON `url` and SARIF `helpUri` point to "
        '<docs-url>rules/<CODE>/ (default: the published site; "" for no links)',
    ),
    # rule and collection options
    "schema": (str, "SC101: path to another JSON Schema"),
    "data-dir": (str, "sidecar tables folder, relative to a record's folder (default ../_data)"),
    "sidecar-pattern": (str, "sidecar table name pattern (default {figid}-{kind}.tsv)"),
    "check-file-name": (bool, "ID102: compare every file's name with its figid"),
    "reference": (dict, "reference data: extra tables and fresher snapshots"),
}


class ConfigError(Exception):
    pass


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when one of ``choices`` is close to ``word``
    (difflib's ratio, as ruff suggests a near option name), else ``""``."""
    import difflib  # start-up: only a configuration error needs it

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class Config:
    path: Path | None
    root: Path
    values: dict = field(default_factory=dict)
    # (key, sub-key...) -> 1-based line of the file where it is written
    lines: dict = field(default_factory=dict)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def where(self, *keys) -> str:
        """``file:line`` of ``keys`` (of the nearest enclosing key found),
        for a message; ``configuration`` without a file."""
        if self.path is None:
            return "configuration"
        return _where(self.path, self.lines, keys)


def _where(path: Path, lines: dict, keys) -> str:
    keys = tuple(keys)
    while keys and keys not in lines:
        keys = keys[:-1]
    line = lines.get(keys) or lines.get(()) or 1
    return f"{path}:{line}"


# a TOML key part: bare, "basic" or 'literal'
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = re.compile(rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*")
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED.pattern})\s*\]\]?")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED.pattern})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_DOTTED.pattern})\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for m in re.finditer(_KEY_PART, dotted):
        part = m.group()
        if part[0] == '"':
            try:
                part = json.loads(part)  # TOML's escapes are JSON's (but \U)
            except ValueError:
                part = part[1:-1]
        elif part[0] == "'":
            part = part[1:-1]
        out.append(part)
    return tuple(out)


def _add(lines: dict, key: tuple, number: int) -> None:
    for end in range(1, len(key) + 1):  # `a.b = 1` writes the key a too
        lines.setdefault(key[:end], number)


def key_lines(text: str, section: tuple[str, ...]) -> dict:
    """(key, sub-key...) -> the first line where each key of ``section``
    (``("tool", "pfocr-lint")`` in a pyproject.toml, ``()`` in a
    pfocr-lint.toml) is written: as ``key = ...``, as a table header, or as a
    key of an inline table on the line of its parent. ``()`` maps to the
    section's header. For messages only: a key not found maps to nothing."""
    lines: dict = {}
    if not section:
        lines[()] = 1
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), start=1):
        m = _HEADER.match(line)
        if m:
            table = _parts(m.group(1))
            if table[: len(section)] == section:
                _add(lines, table[len(section) :], number)
            continue
        m = _KEY_LINE.match(line)
        if not m:
            continue
        full = table + _parts(m.group(1))
        if full[: len(section)] != section or len(full) == len(section):
            continue
        key = full[len(section) :]
        _add(lines, key, number)
        for inner in _INLINE_KEY.finditer(line, m.end()):
            lines.setdefault(key + _parts(inner.group(1)), number)
    return lines


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


def _tomllib():
    """The TOML reader (start-up: imported by a run that reads a
    configuration file, not by one that finds none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _parse(path: Path, raw: bytes) -> dict:
    """The TOML document in ``raw``; a :class:`ConfigError` naming the file,
    line and column when it is not valid TOML (or not UTF-8)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    tomllib = _tomllib()
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
        section: tuple[str, ...] = ("tool", "pfocr-lint")
    else:
        values = data
        section = ()
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: [tool.pfocr-lint] must be a table")
    lines = key_lines(raw.decode("utf-8"), section)
    for key, value in values.items():
        where = _where(path, lines, (key,))
        if key not in KEYS:
            raise ConfigError(
                f"{where}: unknown configuration key {key!r}{did_you_mean(key, KEYS)}"
            )
        kind = KEYS[key][0]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: {key!r} must be a {_type_name(kind)}")
        _check_value(key, value, lambda *sub, k=key: _where(path, lines, (k, *sub)))
    if values.get("cache-key", "mtime") not in ("mtime", "content", "auto"):
        where = _where(path, lines, ("cache-key",))
        raise ConfigError(f'{where}: \'cache-key\' must be "mtime", "content" or "auto"')
    return Config(path, path.parent.resolve(), dict(values), lines)


# the keys whose value is a list of strings
_STRING_LISTS = (
    "select",
    "extend-select",
    "ignore",
    "include",
    "extend-include",
    "exclude",
    "extend-exclude",
    "paths",
)
_GLOB_LISTS = ("include", "extend-include", "exclude", "extend-exclude")
# max-file-size: a record (or table) is read whole, in one buffer of this size
# at most; a larger limit only risks the memory of every run
MAX_FILE_SIZE = 256 * 1024 * 1024


def _check_value(key: str, value, where) -> None:
    """The type of every element of ``value``, beyond the key's own type:
    ``where(*sub_keys)`` gives the ``file:line`` of the message."""
    if key in _STRING_LISTS:
        for item in value:
            if not isinstance(item, str):
                raise ConfigError(
                    f"{where()}: {key!r} must be a list of strings; {_show(item)} is "
                    f"{_value_kind(item)}"
                )
            if key in _GLOB_LISTS:
                try:
                    re.compile(translate(item))
                except re.error as exc:
                    raise ConfigError(
                        f"{where()}: {key!r}: {_show(item)} is not a glob pattern: {exc}"
                    ) from None
    elif key == "per-file-ignores":
        for pattern, codes in value.items():
            items = [codes] if isinstance(codes, str) else codes
            if not isinstance(items, list) or not all(isinstance(c, str) for c in items):
                raise ConfigError(
                    f"{where(pattern)}: per-file-ignores: the codes of {pattern!r} must be a "
                    f"string or a list of strings; got {_show(codes)}"
                )
    elif key == "severity":
        for code, sev in value.items():
            if not isinstance(sev, str):
                raise ConfigError(
                    f"{where(code)}: severity of {code}: {_show(sev)} is not one of {SEVERITIES}"
                )
    elif key == "max-file-size":
        if not 1 <= value <= MAX_FILE_SIZE:
            raise ConfigError(
                f"{where()}: 'max-file-size' must be between 1 and {MAX_FILE_SIZE} bytes "
                f"(256 MiB); got {value}"
            )
    elif key == "output-format":
        if value not in FORMATS:
            raise ConfigError(
                f"{where()}: 'output-format' must be one of {', '.join(FORMATS)}; got {_show(value)}"
            )
    elif key == "docs-url":
        if value and not re.match(r"https?://[^\s/]+(/\S*)?$", value):
            raise ConfigError(
                f"{where()}: 'docs-url' must be an http(s) URL, or \"\" for no links; got "
                f"{_show(value)}"
            )
    elif key in ("schema", "baseline", "data-dir", "sidecar-pattern") and not value.strip():
        raise ConfigError(f"{where()}: {key!r} must not be empty")


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _value_kind(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", dict: "a table"}.get(
        type(value), "a list" if isinstance(value, list) else f"a {type(value).__name__}"
    )


def _type_name(kind) -> str:
    return {list: "list", dict: "table", str: "string", int: "integer", bool: "boolean"}.get(
        kind, str(kind)
    )


def _codes(selectors, where: str) -> set[str]:
    out: set[str] = set()
    if isinstance(selectors, str) or not isinstance(selectors, (list, tuple)):
        raise ConfigError(
            f"{where}: rule selectors must be a list of strings, got {_show(selectors)}"
        )
    for sel in selectors:
        if not isinstance(sel, str):
            raise ConfigError(f"{where}: rule selector {sel!r} must be a string")
        try:
            out.update(expand(sel, family_rules(selector_families(sel))))
        except KeyError:
            hint = did_you_mean(sel.upper(), all_rules()) if sel.strip() else ""
            raise ConfigError(f"{where}: unknown rule code {sel!r}{hint}") from None
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
    where = config.where
    # the default ``ALL`` is not expanded when --select replaces it: a run loads
    # only the rule families it selects (a configured list is still checked)
    if cli.select is None or config.get("select") is not None:
        select = _codes(config.get("select", ["ALL"]), where("select"))
    else:
        select = set()
    select |= _codes(config.get("extend-select", []), where("extend-select"))
    select -= _codes(config.get("ignore", []), where("ignore"))
    if cli.select is not None:
        select = _codes(cli.select, "--select")
    if cli.extend_select:
        select |= _codes(cli.extend_select, "--extend-select")
    if cli.ignore:
        select -= _codes(cli.ignore, "--ignore")
    severity = {}
    for code, sev in config.get("severity", {}).items():
        if get_rule(code) is None:
            raise ConfigError(f"{where('severity', code)}: severity: unknown rule code {code!r}")
        if sev not in SEVERITIES:
            raise ConfigError(
                f"{where('severity', code)}: severity of {code}: {_show(sev)} is not one of "
                f"{SEVERITIES}"
            )
        severity[code.upper()] = sev
    per_file = []
    expanded: dict[tuple, frozenset] = {}  # 50,000 entries name a few code lists
    for pattern, codes in config.get("per-file-ignores", {}).items():
        if isinstance(codes, str):
            codes = [codes]
        key = tuple(codes)
        if key not in expanded:
            at = f"{where('per-file-ignores', pattern)}: per-file-ignores"
            expanded[key] = frozenset(_codes(codes, at))
        per_file.append((pattern, expanded[key]))
    fail_on = cli.fail_on or config.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise ConfigError(
            f"{where('fail-on')}: fail-on: {_show(fail_on)} is not one of {SEVERITIES}"
        )
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
        raise ConfigError(f"{where('schema')}: schema: {options['schema']!r} is not a regular file")
    if "schema" in options:
        check_schema_file(options["schema"], where("schema"))
    if "reference" in options:
        options["reference"], options["reference-files"] = _reference_options(
            options["reference"], config.root, where("reference")
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
        docs_url=config.get("docs-url", DOCS_URL),
    )


def check_schema_file(path: str, where: str) -> None:
    """A configured ``schema`` must be a JSON Schema this run can use: JSON,
    an object, valid for Draft 2020-12, every reference inside the file (a
    remote ``$ref`` would be fetched, or fail, in the middle of the run), and
    every ``pattern`` a regular expression. A :class:`ConfigError` says which."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 * 1024 + 1)
    except OSError as exc:
        raise ConfigError(f"{where}: schema: cannot read {path!r}: {exc.strerror or exc}") from exc
    try:
        schema = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: schema: {path!r} is not UTF-8 ({exc.reason})") from None
    except ValueError as exc:  # json.JSONDecodeError names the line and column
        raise ConfigError(f"{where}: schema: {path!r} is not JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise ConfigError(
            f"{where}: schema: {path!r} holds {_value_kind(schema)}, not a JSON Schema"
        )
    base = schema.get("$id") if isinstance(schema.get("$id"), str) else ""
    stack = [schema]
    while stack:  # iterative: a schema nests as deep as it likes
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key in ("$ref", "$dynamicRef"):
            ref = node.get(key)
            if isinstance(ref, str) and _external(ref, base):
                raise ConfigError(
                    f"{where}: schema: {path!r} refers to {_show(ref)} ({key}): only references "
                    "inside the schema file (#/...) are supported"
                )
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"{where}: schema: pattern {_show(pattern)} is not a regular expression: {exc}"
                ) from None
            if nested_repeat(pattern):
                raise ConfigError(
                    f"{where}: schema: pattern {_show(pattern)} repeats a repeat with nothing "
                    "else to match (like (a+)+): trying it on a long value can take hours; "
                    "write it without the nesting (or with a possessive a++ / atomic (?>...))"
                )
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        at = "/".join(map(str, exc.path)) or "the top"
        raise ConfigError(
            f"{where}: schema: {path!r} is not a valid JSON Schema (at {at}): {_show(exc.message)}"
        ) from None


def _external(ref: str, base: str) -> bool:
    """Does ``ref`` (against the schema's ``$id``) leave the schema file?"""
    from urllib.parse import urldefrag, urljoin

    target = urldefrag(urljoin(base, ref) if base else ref).url
    return bool(target) and target != urldefrag(base).url


# [tool.pfocr-lint.reference]: keys as linter.knowledge.reference.configure_from_options
# takes them; the paths (relative to the configuration's folder) must exist.


def _reference_options(table: dict, root: Path, where: str) -> tuple[dict, list]:
    """Validate ``[tool.pfocr-lint.reference]``: known keys, paths that exist.
    Returns the table with absolute paths, and (path, size, mtime) of every
    file named, so that editing a table invalidates the results cache."""
    unknown = sorted(set(table) - set(REFERENCE_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} in [tool.pfocr-lint.reference]"
            f"{did_you_mean(unknown[0], REFERENCE_KEYS)}; expected some of {', '.join(REFERENCE_KEYS)}"
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
                    if table in ("hgnc_keys", "pfocr_families", "lexicon_keys"):
                        continue  # an index (computed when missing), optional tables
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
