"""``pfocr-lint check --fix --interactive``: review the fixes one at a time.

For each file the check would lint, each fix it offers (safe ones; unsafe
ones too with ``--unsafe-fixes``) is shown with its rule, severity, safety
and diff, and the curator answers ``y`` (apply), ``n`` (skip), ``a`` (apply
this one and every later fix of the same rule without asking) or ``q``
(stop). An accepted fix is applied by the engine (:func:`apply_fixes`) and
written at once with the same atomic write as ``--fix``; the file is then
linted again, since positions shift, and the review goes on from the fixes
the new text offers. Declined fixes are not offered again.

A flag of ``check`` rather than a command of its own: it is ``--fix`` with a
person in the loop, takes every option ``--fix`` takes, and ruff users look
for it there.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from linter.base.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from linter.base.textsafe import clean, to_stderr
from linter.engine import (
    MAX_FIX_PASSES,
    Linter,
    applicable,
    apply_fixes,
    fails,
    read_for_fix,
    write_fix,
)
from linter.pipeline.check import Check
from linter.rules import edits

PROMPT = "Apply this fix? [y]es, [n]o, [a]ll {code} fixes, [q]uit: "
_ANSWERS = {"y": "y", "yes": "y", "n": "n", "no": "n", "a": "a", "all": "a", "q": "q", "quit": "q"}


def review(run: Check, unsafe: bool, *, color: bool, stdin=None, out=None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    from rich.console import Console

    con = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    linter = Linter(run.settings)
    state = _State()
    failed = errors = False
    for path, filename in run.files:
        if state.quit:
            break
        try:  # read as --fix reads: bytes kept, no newline translation
            raw, text = read_for_fix(Path(path), run.settings.max_size)
        except OSError as exc:
            to_stderr(f"pfocr-lint: error: {filename}: cannot review: {exc}")
            errors = True
            continue
        if text is None:  # too large or not UTF-8: its findings, nothing to fix
            result = linter.lint_file(Path(path), filename)
        else:
            hard_links = run.options.fix_hard_links
            result = _review_file(
                con, linter, Path(path), filename, (raw, text), unsafe, state, stdin, hard_links
            )
        if result is None:
            errors = True
            continue
        failed = failed or fails(result.findings, run.settings.fail_on)
    con.print(
        f"Applied {state.applied} fix(es) in {len(state.files)} file(s); "
        f"declined {state.declined}." + (" Stopped." if state.quit else "")
    )
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


class _State:
    def __init__(self):
        self.applied = 0
        self.declined = 0
        self.files: set[str] = set()
        self.always: set[str] = set()  # rule codes answered "a"
        self.quit = False


def _review_file(con, linter, path, filename, read, unsafe, state, stdin, hard_links=False):
    """Offer the file's fixes; returns its final lint result (None: an error).
    Each accepted fix is checked as ``--fix`` checks a pass and written as it
    writes (only over the bytes it was made from); at most ``MAX_FIX_PASSES``
    fixes of one finding are applied, so an answer of "all" to a fix that
    never converges ends."""
    raw, text = read
    skipped: set[tuple] = set()
    applied: dict[tuple, int] = {}
    while True:
        result = linter.lint_text(text, filename, path)
        if result.error:
            to_stderr(f"pfocr-lint: error: {result.error}")
            return None
        offer = next(
            (
                f
                for f in result.findings
                if f.filename == filename and applicable(f.fix, unsafe) and _key(f) not in skipped
            ),
            None,
        )
        if offer is None or state.quit:
            return result
        fixed, n = apply_fixes(text, [offer.fix])
        if not n or fixed == text or applied.get(_key(offer), 0) >= MAX_FIX_PASSES:
            skipped.add(_key(offer))
            continue
        why = edits.verify_fix(text, fixed, offer.fix.edits, [offer.path])
        if why:
            con.print(f"{offer.code}: fix withheld: {why}")
            skipped.add(_key(offer))
            continue
        if offer.code in state.always:
            answer = "y"
        else:
            _show(con, offer, text, fixed)
            answer = _ask(con, offer.code, stdin)
        if answer == "q":
            state.quit = True
            return result
        if answer == "n":
            skipped.add(_key(offer))
            state.declined += 1
            continue
        if answer == "a":
            state.always.add(offer.code)
        why = write_fix(path, raw, fixed, hard_links)
        if why is not None:  # nothing written: say so, offer nothing more here
            con.print(f"{filename}: {why}")
            return result
        raw, text = fixed.encode("utf-8"), fixed
        applied[_key(offer)] = applied.get(_key(offer), 0) + 1
        state.applied += 1
        state.files.add(filename)


def _key(f) -> tuple:
    """A finding's identity across re-lints (its position may shift)."""
    return (f.code, f.path, f.message)


def _show(con, f, text: str, fixed: str) -> None:
    from rich.text import Text

    s = f.span
    head = Text()
    head.append(f"{clean(f.filename)}:{s.line}:{s.col}" if s else clean(f.filename), style="bold")
    head.append(f"  {f.code} ", style="bold")
    head.append(f"{f.name} ({f.severity})")
    con.print()
    con.print(head)
    con.print(Text(clean(f.message)))
    safety = f.fix.applicability
    line = Text(f"{safety} fix: ", style="green" if safety == "safe" else "bold red")
    line.append(clean(f.fix.message))
    con.print(line)
    diff = difflib.unified_diff(
        text.splitlines(keepends=True),
        fixed.splitlines(keepends=True),
        fromfile=f"a/{f.filename}",
        tofile=f"b/{f.filename}",
        n=2,
    )
    for ln in diff:
        ln = clean(ln.rstrip("\n"))
        style = ""
        if ln.startswith(("+++", "---")):
            style = "bold"
        elif ln.startswith("+"):
            style = "green"
        elif ln.startswith("-"):
            style = "red"
        elif ln.startswith("@@"):
            style = "cyan"
        con.print(Text(ln, style=style))


def _ask(con, code: str, stdin) -> str:
    while True:
        con.print(PROMPT.format(code=code), end="")
        con.file.flush()
        line = stdin.readline()
        if not line:  # end of input: stop, keeping what was applied
            con.print()
            return "q"
        answer = _ANSWERS.get(line.strip().lower())
        if answer:
            return answer
        con.print("Please answer y, n, a or q.")
