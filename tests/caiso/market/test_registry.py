"""The market registry of a CAISO pack (market/*.csv): a broken file stops the pack, naming the file,
the line and the field, before anything is served."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from isosim.core.packs import PackError
from isosim.core.state import load_pack
from isosim.main import STATE_MODELS

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
        ("market/resources.csv", "ALPH,GEN,GAS", "ALPH,SUN,GAS", "resources.csv:2: field 'resource_type'"),
        ("market/resources.csv", "40,175", "175,40", "resources.csv:2: needs pmin <= pmax"),
        (
            "market/resources.csv",
            "ALAMT1G_7_B1",
            "NOWHERE_7_B1",
            "resources.csv:2: pricing node 'NOWHERE_7_B1'",
        ),
        ("market/resources.csv", "yes,SR|NR", "yes,SR|XX", "resources.csv:2: field 'ancillary'"),
        ("market/resources.csv", "40,175", "40,inf", "resources.csv:2: field 'pmax'"),
        ("market/contracts.csv", "ALPH,ETC,150", "ALPH,ETC,lots", "contracts.csv:2: field 'rights_mw'"),
        (
            "market/nodes.csv",
            "TH_SP15_GEN-APND",
            "TH_NP15_GEN-APND",
            "nodes.csv: node TH_NP15_GEN-APND is repeated",
        ),
        (
            "pack.toml",
            'contracts = "market/contracts.csv"',
            'contracts = "market/none.csv"',
            "none.csv: file is missing",
        ),
    ],
    ids=[
        "resource-type",
        "pmin-above-pmax",
        "unknown-node",
        "ancillary",
        "infinite",
        "rights",
        "repeated",
        "missing",
    ],
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
