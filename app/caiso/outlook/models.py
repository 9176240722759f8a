"""What Today's Outlook shows for a trading day, drawn from the market's system (app/caiso/market):
the real-time dispatch's supply by source and the CAISO demand forecasts and actuals, every 5
minutes, as far as the simulated clock has come.

Supply balances demand: nuclear, geothermal, biomass (and biogas), hydro (small and large), imports
and batteries (negative while charging), then solar and wind (curtailed when they would oversupply)
and natural gas for the rest, so that the sources add up to the current demand of demand.csv.
"""

from __future__ import annotations

from datetime import date, datetime

from isosim.caiso.market import system
from isosim.caiso.market.registry import Registry
from isosim.caiso.pacific import PACIFIC, intervals

SMALL_HYDRO = 0.15  # of hydro output
BIOGAS = 0.35  # of biomass and biogas together


def _clock(instant: datetime) -> str:
    return instant.astimezone(PACIFIC).strftime("%H:%M")


def fuelsource(registry: Registry, day: date, now: datetime) -> list[dict[str, float | str | None]]:
    found = system.system_day(registry.system, day, "RTD")
    today = system.daily(registry.seed, day)
    areas = [a for a in registry.tac_areas if a.caiso]
    rows: list[dict[str, float | str | None]] = []
    for iv, point in zip(found.intervals, found.points, strict=True):
        if iv.end > now:
            break
        demanded = sum(system.area_load(registry.seed, a, iv, "ACTUAL") for a in areas)
        hydro = system.hydro(iv.local_hour(), day.month, today.water)
        steady = system.NUCLEAR + system.GEOTHERMAL + system.BIOMASS + hydro + point.imports + point.storage
        # Oversupply is curtailed, solar first: what is left never exceeds demand.
        solar = min(point.solar, max(0.0, demanded - steady))
        wind = min(point.wind, max(0.0, demanded - steady - solar))
        rows.append(
            {
                "Time": _clock(iv.start),
                "Solar": solar,
                "Wind": wind,
                "Geothermal": system.GEOTHERMAL,
                "Biomass": system.BIOMASS * (1 - BIOGAS),
                "Biogas": system.BIOMASS * BIOGAS,
                "Small hydro": hydro * SMALL_HYDRO,
                "Coal": 0.0,
                "Nuclear": system.NUCLEAR,
                "Natural gas": max(0.0, demanded - steady - solar - wind),
                "Large hydro": hydro * (1 - SMALL_HYDRO),
                "Batteries": point.storage,
                "Imports": point.imports,
                "Other": 0.0,
            }
        )
    return rows


def demand(registry: Registry, day: date, now: datetime) -> list[dict[str, float | str | None]]:
    areas = [a for a in registry.tac_areas if a.caiso]
    seed = registry.seed
    hours = {iv.start: iv for iv in intervals(day, 60)}
    quarters = {iv.start: iv for iv in intervals(day, 15)}
    rows: list[dict[str, float | str | None]] = []
    for iv in intervals(day, 5):
        hour = hours[iv.start.replace(minute=0)]
        quarter = quarters[iv.start.replace(minute=iv.start.minute - iv.start.minute % 15)]
        rows.append(
            {
                "Time": _clock(iv.start),
                "Day ahead forecast": sum(system.area_load(seed, a, hour, "DAM") for a in areas),
                "Hour ahead forecast": sum(system.area_load(seed, a, quarter, "RTPD") for a in areas)
                if quarter.start <= now
                else None,
                "Current demand": sum(system.area_load(seed, a, iv, "ACTUAL") for a in areas)
                if iv.end <= now
                else None,
            }
        )
    return rows


FILES = {"fuelsource": fuelsource, "demand": demand}
