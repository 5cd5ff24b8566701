"""The package's shape: layers as folders, imports pointing down only (in
function bodies too), no import circles, small modules, the old flat import
paths kept for one release, and start-up loading only what a run uses."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "linter"
# bottom to top: a module may import its own layer and the ones below it
LAYERS = (
    "base",
    "reading",
    "knowledge",
    "rules",
    "engine",
    "pipeline",
    "reporters",
    "server",
    "cli",
)
# the one import that runs up a layer: the package's lazy `from linter import lint`
ALLOWED_UP = {("linter", "linter.pipeline.check")}
GENERATED = {"linter/reading/_schema_fast.py"}
# the reference-data reader: one format, one cache, one module (splitting it scatters it)
LONG_OK = {"linter/knowledge/reference.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports(path: Path, name: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of a
    ``linter`` module, ``from linter.x import y`` counted as ``linter.x.y``
    when that is a module, else ``linter.x``."""
    mods = modules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out = []

    def visit(node, in_func):
        for child in ast.iter_child_nodes(node):
            nested = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                for a in child.names:
                    if a.name.startswith("linter"):
                        out.append((a.name, child.lineno, in_func))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = name.split(".")
                    if not is_pkg:
                        parts = parts[:-1]
                    parts = parts[: len(parts) - (child.level - 1)]
                    base = ".".join(parts + ([base] if base else []))
                if base.startswith("linter"):
                    for a in child.names:
                        full = f"{base}.{a.name}"
                        out.append((full if full in mods else base, child.lineno, in_func))
            visit(child, nested)

    visit(tree, False)
    return out


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_lives_in_a_layer_folder():
    loose = [
        n
        for n in modules()
        if layer(n) is None
        and n not in ("linter", "linter.__main__", "linter._compat")
        and not n.startswith("linter.refdata")
    ]
    assert loose == []


def test_imports_point_down_only_even_inside_functions():
    wrong = []
    for name, path in modules().items():
        mine = layer(name)
        for target, line, _ in imports(path, name):
            theirs = layer(target)
            if theirs is None:
                continue
            up = (mine is None and name != "linter.__main__") or (
                mine is not None and theirs > mine
            )
            if up and (name, target) not in ALLOWED_UP:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {target}")
    assert wrong == []


def test_nothing_below_the_pipeline_imports_pipeline_reporters_or_cli():
    """The issue's wording, checked as such: reading, knowledge, rules and engine
    import none of pipeline, reporters, server, cli; reporters import neither
    pipeline, server nor cli; nothing below the editor server imports it."""
    bad = []
    for name, path in modules().items():
        mine = name.split(".")[1] if "." in name else ""
        banned = {
            "reading": ("pipeline", "reporters", "server", "cli"),
            "knowledge": ("pipeline", "reporters", "server", "cli"),
            "rules": ("pipeline", "reporters", "server", "cli"),
            "engine": ("pipeline", "reporters", "server", "cli"),
            "pipeline": ("server", "cli"),
            "reporters": ("pipeline", "server", "cli"),
        }.get(mine, ())
        for target, line, _ in imports(path, name):
            if any(target.startswith(f"linter.{b}") for b in banned):
                bad.append(f"{name}:{line} -> {target}")
    assert bad == []


def test_no_import_circles():
    graph = {
        name: {t for t, _, in_func in imports(path, name) if not in_func and t != name}
        for name, path in modules().items()
    }
    # a package's __init__ is imported with any of its modules
    for name in list(graph):
        for target in list(graph[name]):
            parts = target.split(".")
            for i in range(2, len(parts)):
                parent = ".".join(parts[:i])
                if parent in graph and parent != name and not name.startswith(parent + "."):
                    graph[name].add(parent)
    cycles = []
    state: dict[str, int] = {}

    def dfs(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                dfs(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            dfs(node, [node])
    # a package re-exporting its own modules is not a circle between layers
    real = [c for c in cycles if len({".".join(n.split(".")[:2]) for n in c}) > 1]
    assert real == []


def test_no_module_over_700_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert set(long) <= GENERATED | LONG_OK, long


def test_old_import_paths_still_work_for_one_release():
    code = (
        "import importlib, linter\n"
        "from linter._compat import MOVED\n"
        "for old, new in MOVED.items():\n"
        "    assert importlib.import_module(old) is importlib.import_module(new), old\n"
        "from linter.api import Check, lint\n"
        "from linter.engine import Linter, Settings\n"
        "from linter import lint as lint2\n"
        "assert lint is lint2\n"
        "import linter.reader, linter.run\n"
        "assert linter.run.check.__module__ == 'linter.cli.check'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "ok", done.stderr


def _loaded_after(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\nfrom linter.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\n'.join(m for m in sys.modules if m.startswith('linter')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    return set(done.stderr.split("\n"))


def test_version_loads_no_rule_reporter_or_reference_module(tmp_path):
    loaded = _loaded_after(["--version"], tmp_path)
    assert not {m for m in loaded if m.startswith(("linter.rules.", "linter.reporters."))}
    assert not {m for m in loaded if m.startswith("linter.knowledge.")}


def test_one_record_with_na_loads_only_what_it_uses(tmp_path):
    seed = next((ROOT / "seeds").glob("*.md"))
    record = tmp_path / seed.name
    record.write_bytes(seed.read_bytes())
    loaded = _loaded_after(
        ["check", "--no-cache", "--select", "NA", "--output-format", "concise", record.name],
        tmp_path,
    )
    # only the selected family's rule module (and the registry's own helpers);
    # no other family, no reference data, lexicon or caption reader
    rules = {m for m in loaded if m.startswith("linter.rules.")}
    assert rules == {"linter.rules.registry", "linter.rules.edits", "linter.rules.na"}
    assert not {m for m in loaded if m.startswith("linter.knowledge.")} - {
        "linter.knowledge.options"
    }
    reporters = {m for m in loaded if m.startswith("linter.reporters.")}
    assert reporters == {"linter.reporters.concise"}
    # no reference table, lexicon or taxonomy: only names and the caption
    # reader's code (GN106's module imports it; it loads no data)
    assert "linter.knowledge.reference" not in loaded
    assert "linter.knowledge.lexicon" not in loaded


def test_one_record_without_configuration_imports_no_yaml_toml_traceback_or_openssl(tmp_path):
    """Start-up: a record the scanner reads, in a folder without a
    configuration file, as the pre-commit hook lints it (``--no-cache``),
    loads neither PyYAML (libyaml's path, a fix's writer), the TOML reader,
    traceback (a debug run's) nor hashlib's OpenSSL (the results cache's)."""
    seed = ROOT / "seeds" / "PMC6457213__advances029850f7.md"
    record = tmp_path / seed.name
    record.write_bytes(seed.read_bytes())
    code = (
        "import sys\nfrom linter.cli.main import main\n"
        f"try:\n    main(['check', '--no-cache', {record.name!r}])\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(' '.join(m for m in ('yaml', 'tomllib', 'traceback', '_hashlib')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert "1 file linted" in done.stdout
    assert done.stderr.strip() == ""


def test_the_built_in_digests_are_hashlibs():
    import hashlib

    from linter.base import digests

    assert digests.blake2b is hashlib.blake2b
    for data in (b"", b"abc", bytes(range(256)) * 40):
        assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_each_rule_lives_in_a_module_of_its_family():
    """The registry loads a family's modules only: a rule registered from a
    module its family does not list would be missed by a run selecting it."""
    from linter.rules.registry import COLLECTION_FAMILIES, FAMILY_MODULES, all_rules

    for code, r in all_rules().items():
        modules = FAMILY_MODULES[r.family]
        modules = (modules,) if isinstance(modules, str) else modules
        assert r.module.rsplit(".", 1)[1] in modules, (code, r.module)
        assert (r.scope == "collection") == (r.family in COLLECTION_FAMILIES), code
