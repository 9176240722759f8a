"""The control plane: the /_isosim API."""
