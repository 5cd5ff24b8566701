"""FM – file and YAML. The reader finds these; the docstrings document them."""

from linter.rules.registry import rule


@rule("FM101", "missing-front-matter", "error", scope="read")
def missing_front_matter():
    """The file has no front matter.

    What: the file does not start with a `---` line, or that line is never
    closed by a second `---` line.
    Why: a PFOCR record is the YAML between the two `---` lines; without them
    Jekyll publishes no figure page and no other check can run.
    Fails:
        figid: PMC1__f1
        caption: ...
    Passes:
        ---
        figid: PMC1__f1
        ---
    """


@rule("FM102", "yaml-syntax", "error", scope="read")
def yaml_syntax():
    """The front matter is not valid YAML.

    What: the YAML parser rejects the front matter; the finding carries the
    parser's line, column and problem.
    Why: the site generator and every downstream script fail on the record.
    Fails:
        caption: 'unterminated
        figid: PMC1__f1
    Passes:
        caption: 'terminated'
    """


@rule("FM103", "duplicate-key", "error", scope="read")
def duplicate_key():
    """A mapping repeats a key.

    What: the same key appears twice in one mapping; the finding is on the
    repeat and names the line of the first.
    Why: YAML loaders disagree on which value wins (R's yaml errors, PyYAML
    keeps the last), so the record means different things to different tools.
    Fails:
        year: '2019'
        year: '2020'
    Passes:
        year: '2019'
    """


@rule("FM104", "not-a-mapping", "error", scope="read")
def not_a_mapping():
    """The front matter is not a mapping.

    What: the front matter is empty, a list or a single scalar instead of a
    mapping of keys to values.
    Why: every field of a record is a key of that mapping.
    Fails:
        - figid: PMC1__f1
    Passes:
        figid: PMC1__f1
    """


@rule("FM105", "encoding", "error", fix="safe", scope="read")
def encoding():
    """The file is not clean UTF-8.

    What: the bytes are not UTF-8, the file starts with a byte-order mark, or
    it contains NUL or another control character (TAB, LF and CR are fine).
    Why: Jekyll, R and the search index read records as UTF-8 text; a BOM
    hides the opening `---`, control characters corrupt captions.
    Fix: safe for the byte-order mark only (it is removed).
    Fails:
        <BOM>---
        figid: PMC1__f1
    Passes:
        ---
        figid: PMC1__f1
    """


@rule("FM106", "unsafe-yaml", "error", scope="read")
def unsafe_yaml():
    """The front matter uses YAML features a record must not use.

    What: a language-specific or other non-core tag (`!!python/object`,
    `!custom`), an anchor (`&a`) or alias (`*a`), a complex mapping key, or a
    file over the size limit (`max-file-size`, default 1 MiB). Such a document
    is rejected before anything is constructed from it.
    Why: tags can make a loader run code; aliases can expand a small file into
    gigabytes ("billion laughs"); records never need either.
    Fails:
        figid: !!python/object/apply:os.system ['true']
    Passes:
        figid: PMC1__f1
    """


@rule("FM198", "unused-baseline-entry", "info", scope="run")
def unused_baseline_entry():
    """A baseline entry matches no finding any more.

    What: an entry of the baseline (`--baseline FILE`, or `baseline = "…"` in
    the configuration) of a file linted in this run recorded more findings
    than the run found: they were fixed (or the rule changed). Reported at
    the entry's line in the baseline file. `--write-baseline` drops it.
    Why: a stale entry would silently accept the defect if it came back;
    keep the baseline as small as the collection's real debt.
    Fails:
        # baseline.json records NA101 /doi for the record; its doi is fixed
        doi: 10.1182/bloodadvances.2018029850
    Passes:
        # baseline.json records NA101 /doi for the record, still there
        doi: .na.character
    """


@rule("FM199", "unused-suppression", "info", scope="read")
def unused_suppression():
    """A suppression comment suppresses nothing.

    What: a `# pfocr-lint: disable=CODE` comment (own line: whole record; end
    of line: that line) names a code that produced no finding there, a rule
    that is not enabled, or an unknown code.
    Why: stale suppressions hide future defects; keep them tidy.
    Fails:
        year: '2019'  # pfocr-lint: disable=MD101
    Passes:
        year: '19'  # pfocr-lint: disable=MD101
    """
