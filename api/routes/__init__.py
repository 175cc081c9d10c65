"""Routers of the API, one module per domain area."""
