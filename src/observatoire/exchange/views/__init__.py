"""Pages of the exchange platform, one module per domain noun."""
