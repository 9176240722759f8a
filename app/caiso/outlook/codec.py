"""Today's Outlook files as CAISO publishes them: one CSV per day and subject, a row per 5-minute
interval keyed by its local clock time ("HH:MM", Pacific), MW as whole numbers. Columns follow the
files public clients read (gridstatus' fuel mix and load): `fuelsource.csv` (the supply by source)
and `demand.csv` (the forecasts and the demand as it happens)."""

from __future__ import annotations

from collections.abc import Iterable

FUELSOURCE = (
    "Time",
    "Solar",
    "Wind",
    "Geothermal",
    "Biomass",
    "Biogas",
    "Small hydro",
    "Coal",
    "Nuclear",
    "Natural gas",
    "Large hydro",
    "Batteries",
    "Imports",
    "Other",
)
DEMAND = ("Time", "Day ahead forecast", "Hour ahead forecast", "Current demand")
FILES = {"fuelsource": FUELSOURCE, "demand": DEMAND}
MEDIA_TYPE = "text/csv"


def csv_text(columns: tuple[str, ...], rows: Iterable[dict[str, float | str | None]]) -> str:
    """Rows as CAISO writes them: whole MW, an empty cell where a value is not known yet."""
    lines = [",".join(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif isinstance(value, str):
                cells.append(value)
            else:
                cells.append(str(round(value)))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"
