"""Who may call what: callers (from a signed token or an API key), roles, and the access
each HTTP entrypoint declares (see docs/access.md)."""
