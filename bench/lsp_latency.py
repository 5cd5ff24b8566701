"""How long the editor server takes from a change to its diagnostics.

    PYTHONPATH=. python bench/lsp_latency.py [--changes 30]

Starts ``pfocr-lint server`` with pygls's client in a temporary copy of a
corpus record with sidecar tables, opens the record and its genes table,
then times ``didChange`` → ``publishDiagnostics`` for the record and for the
table (median and slowest), and the first open (reference data loading).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
RECORD = "PMC10003241__ijms-24-04893-g003"


async def main(changes: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    try:
        (tmp / "_figures").mkdir()
        (tmp / "_data").mkdir()
        shutil.copy(CORPUS / "_figures" / f"{RECORD}.md", tmp / "_figures")
        for table in (CORPUS / "_data").glob(f"{RECORD}-*.tsv"):
            shutil.copy(table, tmp / "_data")
        client = LanguageClient("bench", "1")
        published: dict[str, int] = {}

        @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on(params):
            published[params.uri] = published.get(params.uri, 0) + 1

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        await client.start_io(sys.executable, "-m", "linter", "server", cwd=str(tmp), env=env)
        drain = asyncio.ensure_future(client._server.stderr.read())
        await client.initialize_async(
            t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=from_fs_path(str(tmp)))
        )
        client.initialized(t.InitializedParams())

        async def wait(uri, n):
            while published.get(uri, 0) < n:
                await asyncio.sleep(0.001)

        docs = {}
        for path, lang in (
            (tmp / "_figures" / f"{RECORD}.md", "markdown"),
            (tmp / "_data" / f"{RECORD}-genes.tsv", "tsv"),
        ):
            uri = from_fs_path(str(path))
            text = path.read_text(encoding="utf-8")
            docs[uri] = text
            start = time.perf_counter()
            client.text_document_did_open(
                t.DidOpenTextDocumentParams(
                    text_document=t.TextDocumentItem(
                        uri=uri, language_id=lang, version=1, text=text
                    )
                )
            )
            await wait(uri, 1)
            print(f"open {path.name}: {1000 * (time.perf_counter() - start):.0f} ms")
        for uri, text in docs.items():
            times = []
            for version in range(2, changes + 2):
                n = published[uri]
                start = time.perf_counter()
                client.text_document_did_change(
                    t.DidChangeTextDocumentParams(
                        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[
                            t.TextDocumentContentChangeWholeDocument(
                                text=text + "\n" * (version % 2)
                            )
                        ],
                    )
                )
                await wait(uri, n + 1)
                times.append(1000 * (time.perf_counter() - start))
            name = uri.rsplit("/", 1)[-1]
            print(
                f"change {name}: median {statistics.median(times):.1f} ms, "
                f"slowest {max(times):.1f} ms over {changes}"
            )
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        drain.cancel()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--changes", type=int, default=30)
    asyncio.run(main(ap.parse_args().changes))
