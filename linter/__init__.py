"""pfocr-lint: a data-quality linter for Pathway Figure OCR (PFOCR) records.

``from linter import lint`` gives the check pipeline as a function (see
:func:`linter.pipeline.check.lint`); it is imported on first use, so that ``import
linter`` (every command's start-up) stays cheap.
"""

from linter import _compat

__version__ = "0.1.0"

__all__ = ["__version__", "lint"]

_compat.install()  # the flat package's old module paths, for one release


def __getattr__(name: str):
    if name == "lint":
        from linter.pipeline.check import lint

        return lint
    raise AttributeError(f"module 'linter' has no attribute {name!r}")
