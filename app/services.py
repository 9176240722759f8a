"""Every service the simulator emulates, listed once: adding a service is adding its descriptor
here (app/core/services.py says what a descriptor holds). State models come first where others read
them (the CAISO market before the services that report it)."""

from __future__ import annotations

from isosim.caiso.ads.routes import SERVICE as CAISO_ADS
from isosim.caiso.b2b.routes import SERVICE as CAISO_B2B
from isosim.caiso.market.tables import SERVICE as CAISO_MARKET
from isosim.caiso.oasis.routes import SERVICE as CAISO_OASIS
from isosim.caiso.outlook.routes import SERVICE as CAISO_OUTLOOK
from isosim.caiso.soap.routes import SERVICE as CAISO_SOAP
from isosim.core.services import Service
from isosim.core.state import StateModel
from isosim.isone.emarket.routes import SERVICE as ISONE_EMARKET
from isosim.isone.ibt.routes import SERVICE as ISONE_IBT
from isosim.isone.isoexpress.routes import SERVICE as ISONE_ISOEXPRESS
from isosim.isone.market.tables import SERVICE as ISONE_MARKET
from isosim.isone.webservices.routes import SERVICE as ISONE_WEBSERVICES

SERVICES: tuple[Service, ...] = (
    ISONE_IBT,
    ISONE_MARKET,
    ISONE_WEBSERVICES,
    ISONE_ISOEXPRESS,
    ISONE_EMARKET,
    CAISO_MARKET,
    CAISO_OASIS,
    CAISO_OUTLOOK,
    CAISO_ADS,
    CAISO_B2B,
    CAISO_SOAP,
)

# Every service's state: seeding, reset, tenants, snapshots and persistence iterate over these.
STATE_MODELS: tuple[StateModel, ...] = tuple(s.state for s in SERVICES if s.state is not None)
