"""The running simulator: settings, database, clock and the packs it emulates, in one object that
every service and the control plane receive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from app.core import database, state
from app.core.clock import Clock
from app.core.packs import Pack, find_pack_folder
from app.core.settings import Settings
from app.core.state import StateModel


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    clock: Clock
    packs: dict[str, Pack]  # in the order of settings.packs; the first is the default
    models: Sequence[StateModel]
    hosts: dict[str, Pack] = field(default_factory=dict)

    @classmethod
    def start(cls, settings: Settings, models: Sequence[StateModel]) -> Runtime:
        """Load and check every pack (PackError if one is broken), open the database, create the
        tables, and seed each pack's realm unless the database already holds it."""
        search_path = settings.pack_search_path()
        packs = {}
        for name in settings.packs:
            packs[name] = state.load_pack(find_pack_folder(name, search_path), models)
        engine = database.make_engine(settings.effective_database_url)
        database.metadata.create_all(engine)
        runtime = cls(settings, engine, Clock(settings.clock_frozen_at), packs, models)
        for pack in packs.values():
            for host in pack.manifest.hosts:
                runtime.hosts.setdefault(host.lower(), pack)
            state.ensure_seeded(engine, runtime.realm(pack), pack, models)
        return runtime

    @property
    def default_pack(self) -> Pack:
        return next(iter(self.packs.values()))

    def realm(self, pack: Pack) -> str:
        """Where a pack's state lives in the database."""
        return pack.name

    def reset(self, pack: Pack) -> None:
        state.reset(self.engine, self.realm(pack), pack, self.models)
