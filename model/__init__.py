"""innosim: an agent-based simulator of innovation-ecosystem growth for Beijing's S&T districts."""

from .errors import InputError
from .scenario import Scenario, load_scenario
from .sim import EcosystemModel

__version__ = "0.1.0"
__all__ = ["EcosystemModel", "InputError", "Scenario", "__version__", "load_scenario"]
