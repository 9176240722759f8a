"""CAISO ADS, the Automated Dispatch System API (rpc-style SOAP, APIWebService v6 and v7)."""
