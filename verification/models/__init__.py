"""Models of the verification app: qualification of vendors, and products with their declarations."""

from .qualification import *  # noqa: F401,F403
from .products import *  # noqa: F401,F403
