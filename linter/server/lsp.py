"""``pfocr-lint server``: the Language Server Protocol over stdio (pygls).

- Diagnostics when a record or one of its sidecar tables is opened, changed
  or saved. A table's diagnostics are its record's findings located in it
  (the record is linted with the table's unsaved text).
- Code actions: each finding's fix (``quickfix``; an unsafe fix says so in
  its title and is never preferred) and ``source.fixAll.pfocr-lint`` (every
  safe fix, until stable, as ``--fix`` applies them).
- Hover over a finding: its rule's documentation (``pfocr-lint rule CODE``).
- The command ``pfocr-lint.fixAll`` (argument: the document's URI, and
  optionally ``true`` for unsafe fixes too) applies the fixes through
  ``workspace/applyEdit``.
- The configuration is the one ``pfocr-lint check`` finds for the file (the
  nearest ``pfocr-lint.toml`` or ``pyproject.toml``); the initialization
  option ``config`` names one file for all, as ``--config``.

Bad input is answered, never fatal: an unknown method or bad parameters get
an error response, a range outside the text finds nothing, a document too
large or not UTF-8 is FM106 / FM105 like a file.
"""

from __future__ import annotations

import os

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from linter import __version__
from linter.base.links import rule_url
from linter.engine import applicable
from linter.rules.docs import rule_info
from linter.rules.registry import get_rule
from linter.server.documents import Lines, Linted, Project, is_table

NAME = "pfocr-lint"
FIX_ALL = "pfocr-lint.fixAll"
FIX_ALL_KIND = f"{t.CodeActionKind.SourceFixAll.value}.pfocr-lint"
SEVERITY = {
    "error": t.DiagnosticSeverity.Error,
    "warning": t.DiagnosticSeverity.Warning,
    "info": t.DiagnosticSeverity.Information,
}


class _Refused:
    """A request whose parameters could not be read: answered with an error."""

    jsonrpc = "2.0"

    def __init__(self, msg_id, error: JsonRpcException):
        self.id = msg_id
        self.error = error


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, answering a request it cannot read (parameters of
    the wrong type, a negative position) with an error response instead of
    leaving the client waiting."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data and isinstance(data["id"], (int, str)):
                return _Refused(data["id"], exc)
            raise

    def handle_message(self, message):
        if isinstance(message, _Refused):
            self._send_response(message.id, None, message.error.to_response_error())
            return None
        return super().handle_message(message)


class PfocrServer(LanguageServer):
    def __init__(self):
        super().__init__(
            NAME,
            __version__,
            text_document_sync_kind=t.TextDocumentSyncKind.Full,
            protocol_cls=_Protocol,
        )
        self.project = Project()
        # uri -> [(diagnostic, finding, the lint it came from)] as last published
        self.shown: dict[str, list[tuple[t.Diagnostic, object, Linted]]] = {}

    # -- documents ------------------------------------------------------------
    def text_of(self, path: str) -> str | None:
        """The editor's text of ``path`` when it is open, else None."""
        doc = self.workspace.text_documents.get(from_fs_path(path) or "")
        return None if doc is None else doc.source

    def buffers(self) -> dict[str, str]:
        """The open sidecar tables' texts, by path."""
        out = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path and is_table(path):
                out[path] = doc.source
        return out

    def lint_uri(self, uri: str) -> None:
        path = to_fs_path(uri)
        if not path:
            return
        if is_table(path):
            record = self.project.record_of(os.path.abspath(path))
            if record is None:
                self.publish(uri, [])
                return
            self.lint_record(record, also=uri)
        elif self.project.is_record(path, self.text_of(path)):
            self.lint_record(os.path.abspath(path))

    def lint_record(self, record: str, also: str | None = None) -> None:
        """Lint ``record`` (its open text, else the file) and publish the
        diagnostics of it and of its open tables (and of ``also``)."""
        text = self.text_of(record)
        if text is None:
            try:
                with open(record, "rb") as fh:
                    text = fh.read().decode("utf-8", "surrogateescape")
            except OSError:
                return
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        linted = self.project.lint(record, text, self.buffers())
        # by real path (a link in the folder names is the same file): the
        # editor's path and the diagnostics
        real = os.path.realpath
        by_file: dict[str, tuple[str, list]] = {real(record): (record, [])}
        for uri in list(self.workspace.text_documents):
            path = to_fs_path(uri)
            if path and is_table(path):
                owner = self.project.record_of(os.path.abspath(path))
                if owner is not None and real(owner) == real(record):
                    by_file[real(path)] = (os.path.abspath(path), [])
        also_path = to_fs_path(also) if also else None
        if also_path:
            by_file.setdefault(real(also_path), (os.path.abspath(also_path), []))
        if linted.error:
            by_file[real(record)][1].append((_error_diagnostic(linted.error), None, linted))
        for f in linted.findings:
            entry = by_file.get(real(linted.file_of(f)))
            if entry is not None:
                entry[1].append((self.diagnostic(f, linted, entry[0]), f, linted))
        for where, items in by_file.values():
            uri = from_fs_path(where)
            if uri:
                self.publish(uri, items)

    def publish(self, uri: str, items: list) -> None:
        self.shown[uri] = items
        doc = self.workspace.text_documents.get(uri)
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=[d for d, _, _ in items],
                version=doc.version if doc is not None else None,
            )
        )

    def diagnostic(self, f, linted: Linted, where: str) -> t.Diagnostic:
        own = os.path.realpath(where) == os.path.realpath(linted.path)
        text = linted.text if own else self.text_of(where)
        if text is None:
            text = _read(where)
        lines = Lines(text)
        s = f.span
        if s is None:
            rng = _range((0, 0), (0, 0))
        else:
            rng = _range(lines.position(s.line, s.col), lines.position(s.end_line, s.end_col))
        url = rule_url(f.code, linted.settings.docs_url if linted.settings else None)
        fix = f.fix.applicability if f.fix is not None else None
        return t.Diagnostic(
            range=rng,
            message=f.message,
            severity=SEVERITY.get(f.severity, t.DiagnosticSeverity.Warning),
            code=f.code,
            code_description=t.CodeDescription(href=url) if url else None,
            source=NAME,
            related_information=self.related(f, linted) or None,
            data={"fix": fix, "name": f.name},
        )

    def related(self, f, linted: Linted) -> list[t.DiagnosticRelatedInformation]:
        """A finding's second locations (GN106: where the caption defines
        the abbreviation)."""
        out = []
        for message, filename, span in (f.extra or {}).get("related", ()):
            where = os.path.normpath(os.path.join(linted.root, filename))
            if os.path.realpath(where) != os.path.realpath(linted.path):
                continue  # only the record's own text is at hand here
            uri = from_fs_path(linted.path)
            if uri:
                lines = Lines(linted.text)
                rng = _range(lines.position(span[0], span[1]), lines.position(span[2], span[3]))
                location = t.Location(uri=uri, range=rng)
                out.append(t.DiagnosticRelatedInformation(location=location, message=message))
        return out

    # -- fixes ----------------------------------------------------------------
    def fix_action(self, diag: t.Diagnostic, f, linted: Linted) -> t.CodeAction:
        unsafe = f.fix.applicability != "safe"
        lines = Lines(linted.text)
        edits = [
            t.TextEdit(
                range=_range(lines.offset_position(e.start), lines.offset_position(e.end)),
                new_text=e.content,
            )
            for e in f.fix.edits
        ]
        title = f"{f.code}: {f.fix.message}" + (" (unsafe fix)" if unsafe else "")
        return t.CodeAction(
            title=title,
            kind=t.CodeActionKind.QuickFix,
            diagnostics=[diag],
            is_preferred=not unsafe,
            edit=t.WorkspaceEdit(changes={from_fs_path(linted.path): edits}),
        )

    def fix_all_edit(self, uri: str, unsafe: bool) -> t.WorkspaceEdit | None:
        """Every safe (or every) fix of the record at ``uri`` (or of the
        record of the table at ``uri``), applied until stable: one edit of
        the whole text, None when nothing changes."""
        path = to_fs_path(uri)
        if not path:
            return None
        path = os.path.abspath(path)
        if is_table(path):
            path = self.project.record_of(path)
            if path is None:
                return None
        text = self.text_of(path)
        if text is None:
            text = _read(path)
        fixed = self.project.lint(path, text, self.buffers(), fix="unsafe" if unsafe else "safe")
        if fixed.error or fixed.text == text:
            return None
        lines = Lines(text)
        whole = _range((0, 0), lines.offset_position(len(text)))
        return t.WorkspaceEdit(
            changes={from_fs_path(path): [t.TextEdit(range=whole, new_text=fixed.text)]}
        )


def _range(start: tuple[int, int], end: tuple[int, int]) -> t.Range:
    if end < start:
        end = start
    return t.Range(
        start=t.Position(line=start[0], character=start[1]),
        end=t.Position(line=end[0], character=end[1]),
    )


def _error_diagnostic(message: str) -> t.Diagnostic:
    return t.Diagnostic(
        range=_range((0, 0), (0, 1)),
        message=message,
        severity=t.DiagnosticSeverity.Error,
        source=NAME,
    )


def _read(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _overlaps(a: t.Range, b: t.Range) -> bool:
    def key(p: t.Position):
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _contains(r: t.Range, p: t.Position) -> bool:
    at = (p.line, p.character)
    return (r.start.line, r.start.character) <= at <= (r.end.line, r.end.character)


def hover_text(code: str, docs_url: str | None) -> str | None:
    """A rule's documentation as Markdown: title, what, why, fix, link."""
    r = get_rule(code)
    if r is None:
        return None
    info = rule_info(r)
    parts = [f"**{r.code}** ({r.name}): {info['title']}", f"Severity: {r.severity}; fix: {r.fix}"]
    for label, key in (("What", "what"), ("Why", "why"), ("Fix", "fix_detail")):
        if info[key]:
            parts.append(f"**{label}:** {info[key]}")
    url = rule_url(r.code, docs_url)
    if url:
        parts.append(f"[{r.code} documentation]({url})")
    return "\n\n".join(parts)


def build_server() -> PfocrServer:
    server = PfocrServer()

    @server.feature(t.INITIALIZE)
    def initialize(ls: PfocrServer, params: t.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = to_fs_path(params.workspace_folders[0].uri)
        elif params.root_uri:
            root = to_fs_path(params.root_uri)
        elif params.root_path:
            root = params.root_path
        options = params.initialization_options
        config = options.get("config") if isinstance(options, dict) else None
        ls.project = Project(root, config if isinstance(config, str) else None)

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PfocrServer, params: t.DidOpenTextDocumentParams) -> None:
        ls.lint_uri(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PfocrServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.lint_uri(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PfocrServer, params: t.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith((".toml", ".json")):  # a configuration (or schema): lint all again
            for other in list(ls.workspace.text_documents):
                if other != uri:
                    ls.lint_uri(other)
        ls.lint_uri(uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PfocrServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = to_fs_path(uri)
        ls.publish(uri, [])
        ls.shown.pop(uri, None)
        if path and is_table(path):  # its record reads the file again
            record = ls.project.record_of(os.path.abspath(path))
            if record is not None and ls.text_of(record) is not None:
                ls.lint_record(record)

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(
            code_action_kinds=[t.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    def code_action(ls: PfocrServer, params: t.CodeActionParams):
        uri = params.text_document.uri
        only = params.context.only
        out = []

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

        if wanted(t.CodeActionKind.QuickFix.value):
            for diag, f, linted in ls.shown.get(uri, []):
                if f is None or not applicable(f.fix, True):
                    continue
                if _overlaps(diag.range, params.range):
                    out.append(ls.fix_action(diag, f, linted))
        # fix all only when asked for (on save, the source action menu): code
        # actions are asked for at every move of the cursor
        if (
            only
            and wanted(FIX_ALL_KIND)
            and any(f is not None and applicable(f.fix, False) for _, f, _ in ls.shown.get(uri, []))
        ):
            edit = ls.fix_all_edit(uri, unsafe=False)
            if edit is not None:
                out.append(
                    t.CodeAction(
                        title="pfocr-lint: fix all safe fixes",
                        kind=FIX_ALL_KIND,
                        edit=edit,
                    )
                )
        return out or None

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: PfocrServer, params: t.HoverParams):
        for diag, f, linted in ls.shown.get(params.text_document.uri, []):
            if f is None or not _contains(diag.range, params.position):
                continue
            docs = linted.settings.docs_url if linted.settings else None
            text = hover_text(f.code, docs)
            if text:
                return t.Hover(
                    contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text),
                    range=diag.range,
                )
        return None

    @server.command(FIX_ALL)
    def fix_all(ls: PfocrServer, *args):
        """``pfocr-lint.fixAll(uri[, unsafe])``: apply the fixes through
        ``workspace/applyEdit``; returns how many files changed (0 or 1)."""
        uri = args[0] if args else None
        if isinstance(uri, dict):  # {"uri": ..., "unsafe": ...}
            unsafe = bool(uri.get("unsafe"))
            uri = uri.get("uri")
        else:
            unsafe = len(args) > 1 and args[1] is True
        if not isinstance(uri, str) or uri not in ls.workspace.text_documents:
            raise JsonRpcInvalidParams(f"{FIX_ALL} expects the URI of an open document")
        edit = ls.fix_all_edit(uri, unsafe)
        if edit is None:
            return {"changed": 0}
        ls.workspace_apply_edit(t.ApplyWorkspaceEditParams(edit=edit, label="pfocr-lint: fix all"))
        return {"changed": 1}

    return server


def serve() -> int:
    """Serve on stdin/stdout until the client exits."""
    build_server().start_io()
    return 0
