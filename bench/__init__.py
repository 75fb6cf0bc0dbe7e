"""National-scale benchmark of the DVF path (``make bench``, not part of ``make test``).

- ``bench.generate``: a synthetic DVF géolocalisées file in the real 40-column format;
- ``bench.naive``: the same indicators computed the naive way, with pandas;
- ``bench.run``: raw DuckDB scan vs. the project's import + build vs. pandas, peak memory.
"""
