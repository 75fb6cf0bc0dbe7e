"""Pages of the contributions app, one module per domain noun."""
