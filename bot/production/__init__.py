"""The production profile (`make run-prod`): PostgreSQL, Redis, several Rasa and action servers, nginx."""

from bot.production.stack import ProductionStack
from bot.production.tools import MissingToolsError

__all__ = ["MissingToolsError", "ProductionStack"]
