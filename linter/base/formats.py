"""The registry of output formats: names, the reporter module and class of
each (imported only when chosen), notes and descriptions. The CLI's choices
and help, the configuration's `output-format` and the documentation's list
(generated into ``docs/usage.md`` at build time by ``tools/gen_docs.py``) all
come from here; the reporters themselves live in :mod:`linter.reporters`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One output format: its name, the module and class that render it
    (imported only when chosen: start-up stays fast), when it is the default
    (a note for the help), what it is, and whether it is a human format for
    the terminal (``--statistics`` then prints the summary alone)."""

    name: str
    module: str
    cls: str
    note: str
    description: str
    terminal: bool = False


# The registry of output formats: the CLI's choices and help, the
# configuration's `output-format` and the documentation's list all come from here.
REGISTRY: tuple[Format, ...] = (
    Format("full", "full", "FullReporter", "default on a terminal",
           "findings with code frames and the rule's help, coloured on a terminal", True),
    Format("concise", "concise", "ConciseReporter", "default piped",
           "`path:line:col: CODE message`, one line per finding (what editors parse)", True),
    Format("json", "jsonfmt", "JsonReporter", "",
           "a JSON array, one object per finding (ruff's shape)"),
    Format("github", "github", "GithubReporter", "default in GitHub Actions",
           "GitHub Actions workflow commands: annotations and a step summary", True),
    Format("sarif", "sarif", "SarifReporter", "",
           "SARIF 2.1.0 for code scanning"),
    Format("gitlab", "gitlab", "GitlabReporter", "Code Quality",
           "a GitLab Code Quality report"),
    Format("junit", "junit", "JunitReporter", "",
           "JUnit XML: one test case per record"),
    Format("csv", "csvfmt", "CsvReporter", "a worklist",
           "one row per finding, spreadsheet-safe (a curators' worklist)"),
    Format("html", "html", "HtmlReporter", "",
           "one self-contained HTML page for curators (`pfocr-lint report`)"),
)  # fmt: skip
BY_NAME = {f.name: f for f in REGISTRY}
FORMATS = tuple(BY_NAME)
TERMINAL_FORMATS = frozenset(f.name for f in REGISTRY if f.terminal)


def formats_help() -> str:
    """The formats as ``--output-format``'s help lists them."""
    return ", ".join(f"{f.name} ({f.note})" if f.note else f.name for f in REGISTRY)


def formats_words() -> str:
    """``full, concise, ... or html``: the formats in a sentence."""
    return ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]
