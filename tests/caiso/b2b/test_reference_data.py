"""The B2B reference data of a CAISO pack (b2b/resources.csv, b2b/contracts.csv): a broken file stops
the pack, naming the file, the line and the field, before anything is served."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.packs import PackError
from app.core.state import load_pack
from app.main import STATE_MODELS

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "caiso-sandbox"
    shutil.copytree(FIXTURES / "caiso-sandbox", folder)
    path = folder / file
    path.write_text(path.read_text().replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "words"),
    [
        ("b2b/resources.csv", "ALPH,GEN,GAS", "ALPH,SUN,GAS", "resources.csv:2: field 'resource_type'"),
        ("b2b/resources.csv", "40,175", "175,40", "resources.csv:2: field 'pmax': needs pmin <= pmax"),
        ("b2b/contracts.csv", "ALPH,ETC,150", "ALPH,ETC,lots", "contracts.csv:2: field 'rights_mw'"),
        (
            "pack.toml",
            'contracts = "b2b/contracts.csv"',
            'contracts = "b2b/none.csv"',
            "none.csv: file is missing",
        ),
    ],
    ids=["resource-type", "pmin-above-pmax", "rights", "missing-file"],
)
def test_a_broken_reference_file_stops_the_pack(
    tmp_path: Path, file: str, old: str, new: str, words: str
) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(broken(tmp_path, file, old, new), STATE_MODELS)
    assert words in str(caught.value)


def test_the_shipped_packs_load() -> None:
    for name in ("caiso-production", "caiso-production-ecn", "caiso-mapstage", "caiso-sandbox"):
        load_pack(FIXTURES / name, STATE_MODELS)
