"""Where a rule's documentation page lives: the ``url`` of a finding in
``--output-format json`` and the ``helpUri`` of a rule in SARIF.

The documentation site (``mkdocs.yml``, built from ``docs/`` with one page
per rule generated from the rule's docstring) has a rule's page at
``<docs-url>rules/<CODE>/``. ``docs-url`` in the configuration changes the
base (a site built from a fork, a mirror inside an institution); ``""``
turns the links off (``url`` is then ``null`` and SARIF has no ``helpUri``).
"""

from __future__ import annotations

# the published documentation site; the default of the `docs-url` key
DOCS_URL = "https://pfocr-lint.readthedocs.io/en/latest/"


def rule_url(code: str, base: str | None = DOCS_URL) -> str | None:
    """The documentation page of rule ``code`` under ``base``, or None when
    ``base`` is empty (links turned off)."""
    if not base:
        return None
    return f"{base.rstrip('/')}/rules/{code}/"
