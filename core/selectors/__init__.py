"""Reads of core, scoped to the actor."""
