"""``pfocr-lint server``: a real LSP client (pygls's) drives the server process
over stdio: diagnostics at the right ranges for a record and its sidecar
table, code actions that fix the text, hover with the rule's documentation,
fix all, configuration found as the command finds it, and hostile messages
answered without the server dying."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

pytest.importorskip("pygls")

from lsprotocol import types as t  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "PMC7773330__hs9-5-e516-g001.md"
B_RECORD = "PMC10003241__ijms-24-04893-g003"
TIMEOUT = 60


class Session:
    """A server process and a client talking to it."""

    def __init__(self, root: Path):
        self.root = root
        self.client = LanguageClient("pfocr-lint-test", "1")
        self.diagnostics: dict[str, list[t.Diagnostic]] = {}
        self.published: dict[str, int] = {}
        self.applied: list[t.WorkspaceEdit] = []
        self.stderr = bytearray()
        self.versions: dict[str, int] = {}

        @self.client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: t.PublishDiagnosticsParams):
            self.diagnostics[params.uri] = params.diagnostics
            self.published[params.uri] = self.published.get(params.uri, 0) + 1

        @self.client.feature(t.WORKSPACE_APPLY_EDIT)
        def on_apply(params: t.ApplyWorkspaceEditParams):
            self.applied.append(params.edit)
            return t.ApplyWorkspaceEditResult(applied=True)

    async def start(self, init_options=None):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        await self.client.start_io(
            sys.executable, "-m", "linter", "server", cwd=str(self.root), env=env
        )
        # the server's stderr is drained, so that its log can never block it
        self._drain = asyncio.ensure_future(self._read_stderr())
        result = await self.client.initialize_async(
            t.InitializeParams(
                capabilities=t.ClientCapabilities(),
                root_uri=from_fs_path(str(self.root)),
                initialization_options=init_options,
            )
        )
        self.client.initialized(t.InitializedParams())
        return result

    async def _read_stderr(self):
        stream = self.client._server.stderr
        while chunk := await stream.read(65536):
            self.stderr += chunk

    @property
    def alive(self) -> bool:
        return self.client._server.returncode is None

    async def wait(self, uri: str, count: int) -> list[t.Diagnostic]:
        """The diagnostics of ``uri`` once it has been published ``count`` times."""
        for _ in range(TIMEOUT * 20):
            if self.published.get(uri, 0) >= count:
                return self.diagnostics[uri]
            await asyncio.sleep(0.05)
        raise AssertionError(f"no diagnostics for {uri}; server log:\n{self.stderr.decode()}")

    async def open(self, path: Path, text: str | None = None, language="markdown"):
        uri = from_fs_path(str(path))
        if text is None:
            text = path.read_text(encoding="utf-8")
        self.versions[uri] = 1
        n = self.published.get(uri, 0)
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )
        return uri, await self.wait(uri, n + 1)

    async def change(self, uri: str, text: str, wait_for: str | None = None):
        self.versions[uri] += 1
        watched = wait_for or uri
        n = self.published.get(watched, 0)
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await self.wait(watched, n + 1)

    async def raw_request(self, method: str, params):
        """Send a request as raw JSON (the client's types would refuse bad
        parameters before they left) and await its response."""
        protocol = self.client.protocol
        self._raw = getattr(self, "_raw", 0) + 1
        msg_id = f"raw-{self._raw}"
        future = concurrent.futures.Future()
        protocol._request_futures[msg_id] = future
        protocol._result_types[msg_id] = protocol.get_result_type(method)
        body = json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        protocol.writer.write(f"Content-Length: {len(body)}\r\n\r\n{body}".encode())
        return await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)

    async def stop(self):
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 20)
            self.client.exit(None)
        finally:
            await self.client.stop()


def run(root: Path, body, init_options=None):
    """Run ``body(session)`` against a fresh server in ``root``."""

    async def main():
        session = Session(root)
        await session.start(init_options)
        try:
            return await asyncio.wait_for(body(session), TIMEOUT * 2)
        finally:
            await session.stop()

    return asyncio.run(main())


def apply(text: str, edits: list[t.TextEdit]) -> str:
    """Apply protocol edits (positions in UTF-16 units; ASCII text here)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))

    def offset(p: t.Position) -> int:
        return starts[p.line] + p.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


@pytest.fixture
def tree(tmp_path):
    """A Jekyll-shaped tree: a record with fixes, a record with sidecar tables."""
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    shutil.copy(SEED, tmp_path / "_figures" / SEED.name)
    shutil.copy(CORPUS / "_figures" / f"{B_RECORD}.md", tmp_path / "_figures")
    for table in (CORPUS / "_data").glob(f"{B_RECORD}-*.tsv"):
        shutil.copy(table, tmp_path / "_data" / table.name)
    return tmp_path


def by_code(diags, code):
    return [d for d in diags if d.code == code]


def test_diagnostics_code_actions_hover_and_fix_all(tree):
    record = tree / "_figures" / SEED.name
    text = record.read_text(encoding="utf-8")
    lines = text.splitlines()

    async def body(s: Session):
        uri, diags = await s.open(record)
        # as the command reports it: 14:10 ID105, 30:6 NA101 (1-based)
        id105 = by_code(diags, "ID105")
        assert len(id105) == 1
        d = id105[0]
        assert (d.range.start.line, d.range.start.character) == (13, 9)
        assert d.severity == t.DiagnosticSeverity.Error or d.severity is not None
        assert d.source == "pfocr-lint"
        assert d.code_description.href.endswith("/rules/ID105/")
        na101 = by_code(diags, "NA101")
        assert [x.range.start.line for x in na101] == [29, 30, 31, 32, 33]
        first = na101[0]
        assert lines[29][first.range.start.character :].startswith(".na.character")

        # the finding's fix as a code action: applying it fixes that line only
        actions = await s.client.text_document_code_action_async(
            t.CodeActionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                range=first.range,
                context=t.CodeActionContext(diagnostics=[first]),
            )
        )
        quick = [a for a in actions if a.kind == t.CodeActionKind.QuickFix]
        assert len(quick) == 1 and quick[0].title.startswith("NA101: ")
        assert "(unsafe fix)" not in quick[0].title and quick[0].is_preferred
        fixed = apply(text, quick[0].edit.changes[uri])
        assert "doi: .na.character" in text and "doi:" not in fixed.split("---")[1]
        assert fixed.count(".na.character") == text.count(".na.character") - 1
        diags = await s.change(uri, fixed)
        assert len(by_code(diags, "NA101")) == 4

        # hover on a finding: the rule's documentation
        hover = await s.client.text_document_hover_async(
            t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=d.range.start)
        )
        assert hover is not None and "**ID105**" in hover.contents.value
        assert "What:" in hover.contents.value and "/rules/ID105/" in hover.contents.value
        nothing = await s.client.text_document_hover_async(
            t.HoverParams(
                text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(0, 0)
            )
        )
        assert nothing is None

        # fix all, as a source action and as a command through workspace/applyEdit
        actions = await s.client.text_document_code_action_async(
            t.CodeActionParams(
                t.TextDocumentIdentifier(uri=uri),
                t.Range(t.Position(0, 0), t.Position(0, 0)),
                t.CodeActionContext(diagnostics=[], only=[t.CodeActionKind.SourceFixAll]),
            )
        )
        assert [a.kind for a in actions] == ["source.fixAll.pfocr-lint"]
        all_fixed = apply(fixed, actions[0].edit.changes[uri])
        assert ".na.character" not in all_fixed
        assert "figlink: /pmc/articles/PMC7773330/figure/F1/" in all_fixed
        result = await s.client.workspace_execute_command_async(
            t.ExecuteCommandParams(command="pfocr-lint.fixAll", arguments=[uri])
        )
        assert result["changed"] == 1
        for _ in range(100):
            if s.applied:
                break
            await asyncio.sleep(0.05)
        assert apply(fixed, s.applied[0].changes[uri]) == all_fixed
        diags = await s.change(uri, all_fixed)
        assert not [x for x in diags if x.code in ("NA101", "ID105")]
        return True

    assert run(tree, body)
    assert record.read_text(encoding="utf-8") == text  # the server writes nothing


def test_unsafe_fix_is_labelled(tree):
    record = tree / "_figures" / f"{B_RECORD}.md"
    text = record.read_text(encoding="utf-8")
    # a repeated keyword: KW103 (safe) — and a repeated gene row would be GN101 (unsafe)
    table = tree / "_data" / f"{B_RECORD}-genes.tsv"
    rows = table.read_text(encoding="utf-8").split("\n")
    table.write_text("\n".join([*rows[:3], rows[2], *rows[3:]]), encoding="utf-8")

    async def body(s: Session):
        uri, diags = await s.open(record)
        unsafe = [d for d in diags if isinstance(d.data, dict) and d.data.get("fix") == "unsafe"]
        assert unsafe, [(d.code, d.message) for d in diags]
        d = unsafe[0]
        actions = await s.client.text_document_code_action_async(
            t.CodeActionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                range=d.range,
                context=t.CodeActionContext(diagnostics=[d]),
            )
        )
        mine = [a for a in actions if a.diagnostics and a.diagnostics[0].code == d.code]
        assert mine and mine[0].title.endswith("(unsafe fix)") and not mine[0].is_preferred
        return True

    assert run(tree, body)
    assert record.read_text(encoding="utf-8") == text


def test_sidecar_table_edit_relints_its_record(tree):
    record = tree / "_figures" / f"{B_RECORD}.md"
    table = tree / "_data" / f"{B_RECORD}-genes.tsv"
    rows = table.read_text(encoding="utf-8").split("\n")

    async def body(s: Session):
        ruri, rdiags = await s.open(record)
        turi, tdiags = await s.open(table, language="tsv")
        assert not by_code(tdiags, "FM107")
        assert not by_code(rdiags, "KW102")
        broken = list(rows)
        broken[9] = broken[9].replace("\t", " ", 1)  # line 10: one column fewer
        # unsaved: the table's buffer is what the record is linted with
        tdiags = await s.change(turi, "\n".join(broken))
        fm107 = by_code(tdiags, "FM107")
        assert len(fm107) == 1
        assert (fm107[0].range.start.line, fm107[0].range.start.character) == (9, 0)
        assert fm107[0].range.end.character == len(broken[9])
        assert "row has 10 columns, expected 11" in fm107[0].message
        rdiags = s.diagnostics[ruri]  # the record's own findings follow
        assert len(by_code(rdiags, "KW102")) == 1
        assert "'MLST8'" in by_code(rdiags, "KW102")[0].message
        # saved: linted again (the same text, the same findings)
        n = s.published[turi]
        s.client.text_document_did_save(
            t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=turi))
        )
        assert len(by_code(await s.wait(turi, n + 1), "FM107")) == 1
        # closed unsaved: the record reads the table on disk again
        n, m = s.published[ruri], s.published[turi]
        s.client.text_document_did_close(
            t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=turi))
        )
        assert list(await s.wait(turi, m + 1)) == []
        assert not by_code(await s.wait(ruri, n + 1), "KW102")
        # edited back to the file's text: no finding left
        turi, tdiags = await s.open(table, "\n".join(broken), language="tsv")
        assert by_code(tdiags, "FM107") and by_code(s.diagnostics[ruri], "KW102")
        tdiags = await s.change(turi, "\n".join(rows))
        assert not by_code(tdiags, "FM107")
        assert not by_code(s.diagnostics[ruri], "KW102")
        return True

    assert run(tree, body)


def test_configuration_is_found_as_the_command_finds_it(tree):
    record = tree / "_figures" / SEED.name
    (tree / "pfocr-lint.toml").write_text('ignore = ["NA101"]\n', encoding="utf-8")

    async def body(s: Session):
        uri, diags = await s.open(record)
        assert not by_code(diags, "NA101") and by_code(diags, "ID105")

        # the configuration edited and saved: open records are linted again
        config = tree / "pfocr-lint.toml"
        curi = from_fs_path(str(config))
        s.client.text_document_did_open(  # nothing to lint in it: nothing published
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(
                    uri=curi, language_id="toml", version=1, text=config.read_text()
                )
            )
        )
        config.write_text("ignore = []\n", encoding="utf-8")
        n = s.published[uri]
        s.client.text_document_did_save(
            t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=curi))
        )
        assert len(by_code(await s.wait(uri, n + 1), "NA101")) == 5
        return True

    assert run(tree, body)
    (tree / "pfocr-lint.toml").write_text('ignore = ["NA1O1"]\n', encoding="utf-8")

    async def broken(s: Session):
        _, diags = await s.open(record)
        assert len(diags) == 1 and "configuration error" in diags[0].message
        return True

    assert run(tree, broken)


def test_hostile_messages_leave_the_server_answering(tree):
    record = tree / "_figures" / SEED.name
    text = record.read_text(encoding="utf-8")

    async def body(s: Session):
        uri, _ = await s.open(record)
        # an unknown method: an error response
        with pytest.raises(JsonRpcException) as err:
            await s.client.protocol.send_request_async("pfocr/unknown", {"x": 1})
        assert err.value.code == -32601
        # bad parameters: an error response
        with pytest.raises(JsonRpcException):
            await s.raw_request(
                t.TEXT_DOCUMENT_HOVER, {"textDocument": {"uri": uri}, "position": "here"}
            )
        # ranges outside the text, negative or huge: no action, no crash
        for rng in (
            t.Range(t.Position(10**6, 0), t.Position(10**6 + 5, 3)),
            t.Range(t.Position(5, 10**6), t.Position(2, 0)),
        ):
            actions = await s.client.text_document_code_action_async(
                t.CodeActionParams(
                    text_document=t.TextDocumentIdentifier(uri=uri),
                    range=rng,
                    context=t.CodeActionContext(diagnostics=[]),
                )
            )
            assert not [a for a in actions or [] if a.kind == t.CodeActionKind.QuickFix]
        with pytest.raises(JsonRpcException):
            await s.raw_request(
                t.TEXT_DOCUMENT_HOVER,
                {"textDocument": {"uri": uri}, "position": {"line": -1, "character": -7}},
            )
        # a command with bad arguments, an unknown command: error responses
        with pytest.raises(JsonRpcException):
            await s.client.workspace_execute_command_async(
                t.ExecuteCommandParams(command="pfocr-lint.fixAll", arguments=[42])
            )
        with pytest.raises(JsonRpcException):
            await s.client.workspace_execute_command_async(
                t.ExecuteCommandParams(command="rm -rf", arguments=[])
            )
        # a 50 MB document: FM106, not read
        big = tree / "_figures" / "PMC1__big.md"
        _, diags = await s.open(big, "---\ntitle: x\n---\n" + "a" * (50 * 1024 * 1024))
        assert [d.code for d in diags] == ["FM106"]
        # a document of binary bytes (every byte, lone surrogates): FM105
        binary = tree / "_figures" / "PMC2__binary.md"
        junk = bytes(range(256)).decode("latin-1") + "\udc80\udcff" + "\x00" * 10
        _, diags = await s.open(binary, junk)
        assert [d.code for d in diags] == ["FM105"]
        _, diags = await s.open(tree / "_figures" / "PMC3__odd.md", "\udcff\ud800 text")
        assert [d.code for d in diags] == ["FM105"]
        # a document whose folder does not exist (not saved yet): linted all the same
        _, diags = await s.open(
            tree / "nowhere" / "_figures" / "PMC4__new.md", "---\ntitle: x\n---\n"
        )
        assert by_code(diags, "SC101")
        # a document that is not a file: nothing to lint, nothing published
        s.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(
                    uri="untitled:Untitled-1", language_id="markdown", version=1, text="---\n"
                )
            )
        )
        # bodies that are not JSON-RPC at all
        for body in (b"\xff\xfe\x00garbage{{{", b"[1, 2, 3]", b'"a string"', b"{}"):
            s.client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        # and the record is still served
        diags = await s.change(uri, text)
        assert by_code(diags, "ID105")
        assert s.alive
        return True

    assert run(tree, body)


def test_a_second_location_is_related_information(tree):
    seed = ROOT / "seeds" / "PMC6566596__ijms-20-02505-g004.md"
    record = tree / "_figures" / seed.name
    shutil.copy(seed, record)
    lines = seed.read_text(encoding="utf-8").splitlines()

    async def body(s: Session):
        uri, diags = await s.open(record)
        gn106 = by_code(diags, "GN106")
        assert len(gn106) == 1 and gn106[0].range.start.line == 175  # 176 as the command says
        related = gn106[0].related_information
        assert related and related[0].location.uri == uri
        r = related[0].location.range
        # as the command reports it: 10:77 to 11:7 (1-based)
        assert (r.start.line, r.start.character, r.end.line, r.end.character) == (9, 76, 10, 6)
        shown = lines[9][76:] + "\n" + lines[10][:6]
        assert shown.startswith("P-glycoprotein") and shown.endswith("(Pgp"), shown
        return True

    assert run(tree, body)


def test_columns_are_utf16_code_units():
    from linter.server.documents import Lines

    lines = Lines("a\U0001f600b\u00e9c\nsecond\n")
    # the linter's 1-based code point columns -> the protocol's UTF-16 units
    assert lines.position(1, 1) == (0, 0)
    assert lines.position(1, 3) == (0, 3)  # after the emoji: two units
    assert lines.position(1, 4) == (0, 4)  # after 'é': one unit
    assert lines.offset_position(2) == (0, 3)
    assert lines.offset_position(6) == (1, 0)
    # outside the text: clamped, never an error
    assert lines.position(99, 99) == (2, 0)
    assert lines.position(1, 99) == (0, 6)
    assert lines.offset_position(-5) == (0, 0) and lines.offset_position(10**9) == (2, 0)


def test_a_tree_reached_through_a_symbolic_link(tree, tmp_path_factory):
    link = tmp_path_factory.mktemp("links") / "site"
    link.symlink_to(tree, target_is_directory=True)
    record = link / "_figures" / f"{B_RECORD}.md"
    table = link / "_data" / f"{B_RECORD}-genes.tsv"
    rows = table.read_text(encoding="utf-8").split("\n")
    rows[9] = rows[9].replace("\t", " ", 1)

    async def body(s: Session):
        ruri, _ = await s.open(record)
        turi, _ = await s.open(table, language="tsv")
        tdiags = await s.change(turi, "\n".join(rows))
        assert [d.range.start.line for d in by_code(tdiags, "FM107")] == [9]
        assert by_code(s.diagnostics[ruri], "KW102")
        assert ruri.startswith(from_fs_path(str(link)))  # published under the editor's path
        return True

    assert run(link, body)


def test_an_initialization_option_names_the_configuration(tree):
    record = tree / "_figures" / SEED.name
    other = tree / "elsewhere.toml"
    other.write_text('ignore = ["ID105"]\n', encoding="utf-8")

    async def body(s: Session):
        _, diags = await s.open(record)
        assert not by_code(diags, "ID105") and len(by_code(diags, "NA101")) == 5
        return True

    assert run(tree, body, init_options={"config": str(other)})
