"""Models of the store app: Butikken (catalogue, shortlists, adoption) and Felleskjøp (joint procurement)."""

from .catalogue import *  # noqa: F401,F403
from .procurement import *  # noqa: F401,F403
