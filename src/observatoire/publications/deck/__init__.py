"""« Les 5 minutes de l'observatoire » (issue #15 §4): a short deck for the opening of a
commission, from a territory and chosen themes: its slides (`slides`), what changed since
the last open data release (`changes`), rendered as PPTX (`pptx`) or PDF (`pdf`)."""
