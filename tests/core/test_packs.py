"""Fixture packs: a broken pack is refused with a message naming the file, the line or record, and
the field; `isosim packs list|validate` report on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from isosim.cli import main
from isosim.core.packs import PackError
from isosim.core.settings import BUILTIN_PACK_DIR, Settings
from isosim.main import create_app


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "isone-sandbox"
    shutil.copytree(BUILTIN_PACK_DIR / "isone-sandbox", folder)
    return folder


def refused(pack: Path) -> PackError:
    with pytest.raises(PackError) as caught:
        create_app(Settings(database_url="memory", pack_dirs=[pack.parent]))
    return caught.value


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_shipped_pack_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "validate", str(BUILTIN_PACK_DIR / "isone-sandbox")]) == 0
    assert "valid: isone-sandbox (ISO-NE Sandbox)" in capsys.readouterr().out


def test_packs_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "list"]) == 0
    assert "isone-sandbox\tISO-NE\tSandbox" in capsys.readouterr().out


def test_manifest_syntax_error_names_file_and_line(pack: Path) -> None:
    edit(pack / "pack.toml", 'iso = "ISO-NE"', 'iso = "ISO-NE')
    line = (pack / "pack.toml").read_text().splitlines().index('iso = "ISO-NE') + 1
    assert refused(pack).where == f"{pack / 'pack.toml'}:{line}"


def test_manifest_field_error_names_the_field(pack: Path) -> None:
    edit(pack / "pack.toml", 'roles = ["IBT", "eMarket Read/Write"]', 'roles = "IBT"')
    error = refused(pack)
    assert error.field == "users.0.roles"


def test_unknown_manifest_field_is_an_error(pack: Path) -> None:
    edit(pack / "pack.toml", 'iso = "ISO-NE"', 'iso = "ISO-NE"\nhostname = "x"')
    assert refused(pack).field == "hostname"


def test_default_user_must_exist(pack: Path) -> None:
    edit(pack / "pack.toml", 'default_user = "xyz-ibt"', 'default_user = "ghost"')
    assert refused(pack).field == "default_user"


def test_data_error_names_file_line_and_field(pack: Path) -> None:
    csv = pack / "ibt" / "contracts.csv"
    edit(csv, ",FCM LOAD OBLIGATION,", ",FCM LOAD,")
    error = refused(pack)
    assert error.where.startswith(str(csv) + ":") and int(error.where.rsplit(":", 1)[1]) > 1
    assert error.field == "category"


def test_timestamps_must_carry_a_zone(pack: Path) -> None:
    edit(pack / "ibt" / "subaccounts.csv", "2013-05-01T04:00:00Z", "2013-05-01T04:00:00")
    error = refused(pack)
    assert error.where == f"{pack / 'ibt' / 'subaccounts.csv'}:2" and error.field == "begin"


def test_mapping_must_name_a_party_and_a_mapping_period(pack: Path) -> None:
    path = pack / "ibt" / "mapping_versions.csv"
    lines = path.read_text().splitlines()
    lines.append("1,100027,2016-12-01T05:00:00Z,2017-01-01T05:00:00Z,2016-11-01T00:00:00Z,Default")
    path.write_text("\n".join(lines) + "\n")
    error = refused(pack)
    assert error.where == f"{path}:{len(lines)}" and error.field == "customer_id"


def test_every_mapping_period_needs_a_version(pack: Path) -> None:
    path = pack / "ibt" / "mapping_versions.csv"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("1,999999,2015-09-01")]
    path.write_text("\n".join(lines) + "\n")
    assert "customer 1 has no version for contract 999999" in refused(pack).message


def test_cli_validate_reports_a_broken_pack(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(pack / "ibt" / "customers.csv", "1,XYZ Inc", "one,XYZ Inc")
    assert main(["packs", "validate", str(pack)]) == 1
    err = capsys.readouterr().err
    assert "customers.csv:2" in err and "customer_id" in err


def test_unknown_pack_name_is_refused() -> None:
    with pytest.raises(PackError, match="no pack of that name"):
        create_app(Settings(database_url="memory", packs=["nope"]))
