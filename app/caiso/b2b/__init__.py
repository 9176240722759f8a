"""CAISO B2B applications (SIBR, CMRI, OMS, ...): one data-driven handler inside the SOAP platform."""
