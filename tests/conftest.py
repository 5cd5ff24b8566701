from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"
CORPUS = SHARED / "corpus"


@pytest.fixture
def root():
    return ROOT
