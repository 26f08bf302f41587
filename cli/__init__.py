"""The `ocop` command: bulk import of a province's records, and event replays."""
