"""Portal: territory portraits, indicator catalog, explorer and the open API."""
