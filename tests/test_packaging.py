"""isosim as other projects install it: the import package is `isosim` (nothing installs a top-level
`app`), and a wheel carries every pack, schema and data file, so that a fresh environment serves
every pack from any working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]


def test_the_declared_packages_are_the_folders_of_app() -> None:
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        "isosim" + "".join(f".{part}" for part in path.parent.relative_to(ROOT / "app").parts)
        for path in (ROOT / "app").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert declared == folders | {"isosim._fixtures", "isosim._schemas"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    return next(out.glob("isosim-*.whl"))


def test_the_wheel_carries_every_data_file_and_no_top_level_app(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n.split("/")[0] for n in names} == {"isosim", wheel.name.split("-py3")[0] + ".dist-info"}
    shipped = {
        f"isosim/_fixtures/{p.relative_to(ROOT / 'fixtures')}"
        for p in (ROOT / "fixtures").rglob("*")
        if p.is_file() and "tools" not in p.parts
    }
    shipped |= {
        f"isosim/_schemas/{p.relative_to(ROOT / 'schemas')}" for p in (ROOT / "schemas").rglob("*.xsd")
    }
    shipped |= {
        f"isosim/{p.relative_to(ROOT / 'app')}"
        for p in (ROOT / "app").rglob("*")
        if p.suffix in (".tsv", ".toml")
    }
    assert shipped <= names, sorted(shipped - names)[:5]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "isosim = isosim.cli:main" in text and "[pytest11]\nisosim = isosim.testing" in text


def test_a_fresh_environment_serves_every_pack_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies from this environment (a path line adds the folder, not its .pth files, so
    # this project's editable install does not come along); isosim itself only from the wheel.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import isosim, importlib.util; print(isosim.__file__, importlib.util.find_spec('app'))",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(site)) and probe.stdout.strip().endswith("None")
    port = free_port()
    environment = {**os.environ, "ISOSIM_DATABASE_URL": "sqlite:///served.sqlite3", "ISOSIM_PORT": str(port)}
    server = subprocess.Popen(
        [str(env_dir / "bin" / "isosim"), "serve", "--log-level", "warning"],
        cwd=elsewhere,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(base), timeout=60)
        packs = {p["name"] for p in httpx.get(f"{base}/_isosim/packs").json()}
        assert packs == {p.name for p in (ROOT / "fixtures").iterdir() if (p / "pack.toml").exists()}
        ibt = httpx.get(f"{base}/env/isone-sandbox/sms_oper_contract/api/customers/1/subaccounts")
        assert ibt.status_code == 200
        emarket = httpx.get(f"{base}/env/isone-sandbox/emktmui/webservices/rest/supplyoffer?day=20260311")
        assert emarket.status_code == 200 and b"XYZ RIVERBEND CC" in emarket.content
        wsdl = httpx.get(f"{base}/env/caiso-sandbox/sst/runtime.asvc/SIBR/SubmitRawBidSet_v1?wsdl")
        assert wsdl.status_code in (200, 404)  # served from the wheel's catalogue either way
    finally:
        server.terminate()
        server.wait(10)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/_isosim/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
