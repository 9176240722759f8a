"""ISO New England services."""
