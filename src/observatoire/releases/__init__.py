"""Open data releases of the cube (Django-free): the rows of a territory's figures as
CSV, Parquet and a Table Schema, versioned by the cube's build date (`writer`), and what
changed between two releases (`changes`). `rows` is the one export line of a value, which
the portal's downloads share."""
