"""State lives in the database: with the default SQLite file it survives a restart of the server,
and a reset puts the pack's state back."""

from __future__ import annotations

from pathlib import Path

from isosim.core.settings import Settings
from isosim.main import create_app
from tests.conftest import IBT, make_client, post_sample, sample


def _post_sample(client) -> None:  # type: ignore[no-untyped-def]
    assert post_sample(client).status_code == 200


def test_state_survives_a_restart_on_the_same_sqlite_file(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}", clock_frozen_at="2015-07-11T12:01:22Z"
    )
    _post_sample(make_client(create_app(settings)))
    restarted = make_client(create_app(settings))
    assert restarted.get(f"{IBT}/1/contractSubaccountMappings/999999").content == sample(
        "3.3.6-mapping-999999.xml"
    )


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}"))
    with app.state.runtime.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_in_memory_database_starts_from_the_pack_each_time() -> None:
    settings = Settings(database_url="memory", clock_frozen_at="2015-07-11T12:01:22Z")
    _post_sample(make_client(create_app(settings)))
    again = make_client(create_app(settings))
    assert b"2015-07-11T12:01:22Z" not in again.get(f"{IBT}/1/contractSubaccountMappings/999999").content


def test_reset_restores_exactly_the_pack_state(client) -> None:  # type: ignore[no-untyped-def]
    def everything() -> list[bytes]:
        return [
            client.get(f"{IBT}/1/contractSubaccountMappings?limit=1000").content,
            client.get(f"{IBT}/1/contractSubaccountMappings/999998").content,
            client.get(f"{IBT}/1/contractSubaccountMappings/999999").content,
        ]

    before = everything()
    _post_sample(client)
    assert everything() != before
    assert client.post("/_isosim/reset").json()["reset"][0] == "isone-sandbox"
    assert everything() == before


def test_a_changed_pack_rebuilds_its_template_but_keeps_live_state(tmp_path: Path) -> None:
    import shutil

    from isosim.core.settings import BUILTIN_PACK_DIR

    packs = tmp_path / "packs"
    shutil.copytree(BUILTIN_PACK_DIR / "isone-sandbox", packs / "isone-sandbox")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}",
        pack_dirs=[packs],
        clock_frozen_at="2015-07-11T12:01:22Z",
    )
    client = make_client(create_app(settings))
    _post_sample(client)
    customers = packs / "isone-sandbox" / "ibt" / "customers.csv"
    customers.write_text(customers.read_text().replace("TUV LLC", "TUV Holdings LLC"))
    restarted = make_client(create_app(settings))
    # Live state is the user's: kept across the restart, with the POST applied.
    assert b"2015-07-11T12:01:22Z" in restarted.get(f"{IBT}/1/contractSubaccountMappings/999999").content
    restarted.post("/_isosim/reset")
    text = restarted.get(f"{IBT}/1/contractSubaccountMappings/999999").text
    assert "TUV Holdings LLC" in text and "2015-07-11T12:01:22Z" not in text


def test_a_template_built_for_another_state_shape_is_rebuilt(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Same pack files, but the loader reads them differently (its version bumped): the database's
    template is rebuilt from the pack when next needed (a reset), as for changed files."""
    import dataclasses

    import isosim.main
    from isosim.core import state

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'state.sqlite3'}", clock_frozen_at="2015-07-11T12:01:22Z"
    )
    make_client(create_app(settings))
    built = state.template_fingerprints(isosim.main.Runtime.start(settings, isosim.main.STATE_MODELS).engine)
    bumped = tuple(
        dataclasses.replace(m, version=m.version + 1) if m.service == "isone.ibt" else m
        for m in isosim.main.STATE_MODELS
    )
    monkeypatch.setattr(isosim.main, "STATE_MODELS", bumped)
    restarted = make_client(create_app(settings))
    assert restarted.post("/_isosim/reset").status_code == 200  # templates are rebuilt when next needed
    rebuilt = state.template_fingerprints(restarted.app.state.runtime.engine)  # type: ignore[attr-defined]
    assert rebuilt["isone-sandbox"] != built["isone-sandbox"]
    assert restarted.get(f"{IBT}/1/subaccounts").status_code == 200


def test_the_template_insert_stores_exactly_what_sqlalchemy_would(database_url: str) -> None:
    """The pack's rows go into a template through a compiled statement with the types' bind
    processors (for start-up speed); stored values must be identical to SQLAlchemy's own insert
    (e.g. SQLite datetimes with their microseconds), on SQLite and on PostgreSQL."""
    from sqlalchemy import delete, insert, text

    from isosim.core import database, schema, state
    from isosim.core.packs import find_pack_folder
    from isosim.main import STATE_MODELS

    pack = state.load_pack(find_pack_folder("isone-sandbox", Settings().pack_search_path()), STATE_MODELS)
    tables = [t for m in STATE_MODELS for t in m.tables if pack.rows.get(t.name)]
    engine = database.make_engine(database_url)
    schema.ensure(engine)
    try:
        with database.write(engine) as conn:
            for table in tables:
                conn.execute(insert(table), [{"realm": "cmp-a", **r} for r in pack.rows[table.name]])
                state._insert_many(conn, table, [{"realm": "cmp-b", **r} for r in pack.rows[table.name]])
        with database.read(engine) as conn:
            for table in tables:
                columns = ", ".join(f'"{c.name}"' for c in table.c if c.name not in ("realm", "id"))
                a, b = (
                    sorted(
                        map(
                            repr,
                            conn.execute(
                                text(f"SELECT {columns} FROM {table.name} WHERE realm = :r"), {"r": r}
                            ),
                        )
                    )
                    for r in ("cmp-a", "cmp-b")
                )
                assert a == b and a, table.name
    finally:
        with database.write(engine) as conn:
            for table in reversed(tables):
                conn.execute(delete(table).where(table.c.realm.in_(["cmp-a", "cmp-b"])))
        engine.dispose()
