"""`make bench`: measurements, never assertions (see the developers' guide)."""
