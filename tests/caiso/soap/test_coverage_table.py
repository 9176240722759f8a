"""The README's tables of CAISO services and B2B operations are the ones the catalogue generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from isosim.caiso.catalogue.coverage import operations, table

README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.mark.parametrize(("marker", "generate"), [("catalogue", table), ("operations", operations)])
def test_readme_lists_the_services_as_the_catalogue_generates_them(marker: str, generate) -> None:  # type: ignore[no-untyped-def]
    text = README.read_text(encoding="utf-8")
    begin, end = f"<!-- {marker}:begin -->\n", f"\n<!-- {marker}:end -->"
    assert text[text.index(begin) + len(begin) : text.index(end)] == generate()
