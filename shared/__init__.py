"""The OCOP platform's own library: event contract, outbox, storage, messaging, web."""
