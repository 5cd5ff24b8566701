"""pfocr-lint: a data-quality linter for Pathway Figure OCR (PFOCR) records."""

__version__ = "0.1.0"
