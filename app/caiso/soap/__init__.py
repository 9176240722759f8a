"""The SOAP platform every CAISO B2B application and ADS share: envelopes, CAISO's security header,
faults with CAISO's standard output, and the catalogue-driven routing of every endpoint."""
