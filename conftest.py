"""Shared fixtures live in tests/conftest.py; this file only makes the project root importable."""
