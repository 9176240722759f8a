"""The running simulator: settings, database, clock and the packs it emulates, in one object that
every service and the control plane receive."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from isosim.core import database, http, schema, state
from isosim.core.clock import Clock
from isosim.core.control_state import SharedControl
from isosim.core.faults import Faults
from isosim.core.journal import Filter, Journal
from isosim.core.metrics import Metrics
from isosim.core.packs import Pack, find_pack_folder
from isosim.core.settings import Settings
from isosim.core.state import StateModel


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    clock: Clock
    packs: dict[str, Pack]  # in the order of settings.packs; the first is the default
    models: Sequence[StateModel]
    journal: Journal
    faults: Faults = field(default_factory=Faults)
    metrics: Metrics | None = None  # set by start()
    control: SharedControl | None = None  # set by start(): the clocks and faults, shared through the database
    hosts: dict[str, Pack] = field(default_factory=dict)
    _known: set[str] = field(default_factory=set)  # realms the database holds
    _copied: set[str] = field(default_factory=set)  # ... and that hold rows of their own (for good)
    _seeding: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, settings: Settings, models: Sequence[StateModel]) -> Runtime:
        """Load and check every pack (PackError if one is broken), open the database, create the
        tables, and seed each pack's realm unless the database already holds it."""
        search_path = settings.pack_search_path()
        engine = database.make_engine(settings.effective_database_url)
        schema.ensure(engine)
        built = state.template_fingerprints(engine)
        packs = {}
        for name in settings.packs:
            folder = find_pack_folder(name, search_path)
            # A pack whose template the database already holds was checked when it was built from
            # these very files (same fingerprint): its data files are read only if needed.
            pack = state.load_pack(folder, models, check_data=False)
            if built.get(pack.name) != pack.fingerprint:
                pack.rows  # noqa: B018 - check now: a broken pack stops the start
            packs[name] = pack
        journal = Journal(
            settings.journal_capacity,
            settings.journal_bodies,
            settings.journal_body_limit,
            settings.journal_max_bytes,
        )
        runtime = cls(settings, engine, Clock(), packs, models, journal)
        runtime.control = SharedControl(engine, runtime.clock, runtime.faults, runtime._forget_realms)
        runtime.control.sync()  # the clocks and rules other processes (or an earlier run) left
        if settings.clock_frozen_at is not None:
            runtime.clock.freeze(settings.clock_frozen_at)
        runtime.metrics = Metrics(
            lambda: len(journal.select(Filter())),
            lambda: len({t for names in runtime.tenants().values() for t in names}),
        )
        for pack in packs.values():
            for host in pack.manifest.hosts:
                runtime.hosts.setdefault(host.lower(), pack)
            runtime.ensure_realm(pack, None, write=True)
        return runtime

    @property
    def default_pack(self) -> Pack:
        return next(iter(self.packs.values()))

    def realm(self, pack: Pack, tenant: str | None = None) -> str:
        """Where a pack's state lives in the database; each tenant has its own copy."""
        return state.realm_name(pack.name, tenant)

    def ensure_realm(self, pack: Pack, tenant: str | None, write: bool = False) -> str:
        """The realm a request reads (and, with `write`, writes): a pack's own realm holds its rows
        from the start; a tenant's is made on first use and shares the pack's template (its realm
        name answers) until its first write copies the template (copy on write)."""
        realm = self.realm(pack, tenant)
        if realm in self._copied:
            return realm
        copy = write or tenant is None
        if realm in self._known:
            copied = state.ensure_seeded(self.engine, realm, pack, self.models, copy)
        else:
            with self._seeding:  # the tenant cap holds under concurrency
                if tenant is not None:
                    self._room_for(tenant)
                copied = state.ensure_seeded(self.engine, realm, pack, self.models, copy)
                self._known.add(realm)
        if copied:
            self._copied.add(realm)
            return realm
        return state.template_of(pack.name)

    def _room_for(self, *tenants: str) -> None:
        """Refuse new tenants beyond the cap (one that already holds state in any pack is not new)."""
        held = {t for names in self.tenants().values() for t in names}
        cap = self.settings.max_tenants
        if len(held | set(tenants)) > cap:
            raise http.Refused(
                507,
                f"isosim holds state for {cap} tenants, its cap (ISOSIM_MAX_TENANTS): "
                "forget one with DELETE /_isosim/tenants/{name}, or raise the cap",
            )

    def _forget_realms(self) -> None:
        """Another process reset, dropped or restored realms: ask the database again."""
        self._known.clear()
        self._copied.clear()

    def _changed(self) -> None:
        if self.control is not None:
            self.control.changed()

    def reset(self, pack: Pack, tenant: str | None = None) -> None:
        realm = self.realm(pack, tenant)
        if tenant is not None:  # a tenant reset before its first call is made, sharing the template
            self.ensure_realm(pack, tenant)
        state.reset(self.engine, realm, pack, self.models)
        self._known.add(realm)
        self._changed()

    def tenants(self) -> dict[str, list[str]]:
        """Each pack's tenants that have state in the database."""
        found: dict[str, list[str]] = {name: [] for name in self.packs}
        for realm, pack in self.realms().items():
            tenant = state.split_realm(realm)[1]
            if tenant is not None:
                found[pack].append(tenant)
        return found

    def drop_tenant(self, tenant: str) -> list[str]:
        """Forget a tenant's state in every pack; returns the packs it had state in."""
        dropped = []
        for pack in self.packs.values():
            realm = self.realm(pack, tenant)
            if state.drop(self.engine, realm, self.models):
                dropped.append(pack.name)
            self._known.discard(realm)
            self._copied.discard(realm)
        self._changed()
        return dropped

    def realms(self, pack: str | None = None, tenant: str | None = None) -> dict[str, str]:
        """Live realms of the served packs (realm -> pack), narrowed to one pack and/or tenant."""
        found = {}
        for realm in state.realm_names(self.engine):
            name, held_tenant = state.split_realm(realm)
            if name not in self.packs or (pack and name != pack):
                continue
            if tenant is not None and held_tenant != tenant:
                continue
            found[realm] = name
        return found

    def export(self, pack: str | None = None, tenant: str | None = None) -> dict[str, object]:
        return state.export(self.engine, self.realms(pack, tenant), self.models)

    def restore(self, document: object) -> list[str]:
        with self._seeding:
            if isinstance(document, dict) and isinstance(document.get("realms"), dict):
                named = (state.split_realm(str(realm))[1] for realm in document["realms"])
                self._room_for(*(tenant for tenant in named if tenant is not None))
            restored = state.restore(self.engine, document, self.packs, self.models)
        self._changed()
        return restored
