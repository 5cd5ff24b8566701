from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"
CORPUS = SHARED / "corpus"


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    """Run in an empty working directory with no CI / colour variables set."""
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR", "PFOCR_LINT_DEBUG"):
        monkeypatch.setenv(name, "")  # restored (removed) after the test
        monkeypatch.delenv(name)
    return tmp_path


def run_cli(capsys, *args, check=True):
    """Run ``pfocr-lint [check --no-cache] ARGS`` in-process: (exit code, stdout, stderr)."""
    from linter.cli import main

    argv = ["check", "--no-cache", *args] if check else list(args)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
