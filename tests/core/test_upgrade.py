"""A database made by an earlier isosim is brought up to date at start-up with its live state carried
over (tables rebuilt, rows written back), on SQLite and PostgreSQL: never a 500 after an upgrade."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from isosim.core.settings import Settings
from isosim.main import create_app
from tests.conftest import IBT, SAMPLE_POST_INSTANT, make_client, post_sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"
TENANT = {"X-Isosim-Tenant": "kept"}


def _start(url: str):  # type: ignore[no-untyped-def]
    return make_client(create_app(Settings(database_url=url, clock_frozen_at=SAMPLE_POST_INSTANT)))


def _as_earlier_isosim(url: str, *statements: str) -> None:
    """Make the database look as an earlier isosim left it: its own table shapes, no schema digest."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE isosim_schema"))
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def test_live_state_is_carried_to_the_new_tables(blank_url: str) -> None:
    client = _start(blank_url)
    assert post_sample(client).status_code == 200 and post_sample(client, headers=TENANT).status_code == 200
    posted, pack_state = (
        client.get(HISTORY).content,
        client.get(HISTORY, headers={"X-Isosim-Tenant": "new"}).content,
    )
    assert posted != pack_state
    client.app.state.runtime.engine.dispose()  # type: ignore[attr-defined]
    # An earlier isosim: a column since removed, one since added (with a default), no digest.
    _as_earlier_isosim(
        blank_url,
        "ALTER TABLE ibt_customer ADD COLUMN legacy VARCHAR(10)",
        "ALTER TABLE ibt_contract DROP COLUMN reference_id",
    )
    upgraded = _start(blank_url)
    assert upgraded.get(HISTORY).content == posted
    assert upgraded.get(HISTORY, headers=TENANT).content == posted
    assert "kept" in upgraded.get("/_isosim/tenants").json()["isone-sandbox"]
    # Reads of the reshaped table answer (the column came back with its default).
    assert upgraded.get(f"{IBT}/1/contractSubaccountMappings?limit=1000").status_code == 200
    assert upgraded.post("/_isosim/reset").status_code == 200
    assert upgraded.get(HISTORY).content == pack_state
    assert post_sample(upgraded).status_code == 200  # new rows after carried ones: ids do not collide
    assert upgraded.get(HISTORY).content == posted


def test_a_realm_that_cannot_be_carried_starts_again_from_its_pack(blank_url: str) -> None:
    client = _start(blank_url)
    post_sample(client, headers=TENANT)
    pack_state = client.get(HISTORY).content
    client.app.state.runtime.engine.dispose()  # type: ignore[attr-defined]
    # A required column this isosim has and the earlier one had not: the rows cannot be carried.
    _as_earlier_isosim(blank_url, "ALTER TABLE ibt_mapping_version DROP COLUMN subaccount_id")
    upgraded = _start(blank_url)
    assert upgraded.get(HISTORY, headers=TENANT).status_code == 200
    assert upgraded.get(HISTORY, headers=TENANT).content == pack_state
    assert upgraded.get(HISTORY).content == pack_state


def test_a_second_start_on_an_upgraded_database_changes_nothing(blank_url: str) -> None:
    client = _start(blank_url)
    post_sample(client)
    posted = client.get(HISTORY).content
    client.app.state.runtime.engine.dispose()  # type: ignore[attr-defined]
    for _ in range(2):
        again = _start(blank_url)
        assert again.get(HISTORY).content == posted
        again.app.state.runtime.engine.dispose()  # type: ignore[attr-defined]
