"""Territories: the value type, the national referential, groupings and COG vintages."""

from observatoire.territories.model import FRANCE, Level, Territory, TerritoryError

__all__ = ["FRANCE", "Level", "Territory", "TerritoryError"]
