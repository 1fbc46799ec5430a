"""Writes of the verification app, one module per part."""
