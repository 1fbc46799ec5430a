"""Permission predicates of the store app."""

from . import catalogue, procurement  # noqa: F401
