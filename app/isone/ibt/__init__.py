"""ISO-NE Internal Bilateral Transactions (IBT) web services, spec v1.0."""
