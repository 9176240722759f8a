"""The README's table of CAISO services is the one the catalogue generates."""

from __future__ import annotations

from pathlib import Path

from app.caiso.catalogue.coverage import table

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_lists_the_services_as_the_catalogue_generates_them():
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- catalogue:begin -->\n", "\n<!-- catalogue:end -->"
    assert text[text.index(begin) + len(begin) : text.index(end)] == table()
