"""mkdocs hooks (``hooks:`` in mkdocs.yml): the generated pages of the site.

- ``on_config``: the navigation's "Rules" section gets the rules index and
  one entry per rule, family by family, from the registry;
- ``on_files``: the rules index and one page per rule, rendered by
  ``tools/gen_docs.py`` from the rule docstrings (nothing is written into
  ``docs/``), and the changelog page from ``CHANGELOG.md``;
- ``on_page_markdown``: the ``<!-- generated:… -->`` placeholders of the
  hand-written pages (the output formats, the configuration keys).

A rule added with ``@rule`` appears on the site with no edit here or in
``docs/``. Nothing here reaches the network.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
gen_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_docs)

RULES_SECTION = "Rules"


def on_config(config, **kwargs):
    nav = config.nav or []
    for i, item in enumerate(nav):
        if isinstance(item, dict) and RULES_SECTION in item:
            nav[i] = {RULES_SECTION: gen_docs.rule_nav()}
            break
    else:
        nav.append({RULES_SECTION: gen_docs.rule_nav()})
    config.nav = nav
    return config


def _changelog() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    # the changelog's links are relative to the repository root
    return re.sub(r"\]\(docs/", "](", text)


def on_files(files, config, **kwargs):
    pages = gen_docs.generated_pages()
    pages["changelog.md"] = _changelog()
    for rel, text in pages.items():
        existing = files.get_file_from_path(rel)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, rel, content=text))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    return gen_docs.fill(markdown)
