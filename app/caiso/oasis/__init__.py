"""CAISO OASIS: the public SingleZip and GroupZip download API."""
