"""Permission predicates of the verification app, one module per part (loaded by rules' autodiscovery)."""

from . import qualification  # noqa: F401
from . import products  # noqa: F401
