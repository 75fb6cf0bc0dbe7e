"""What a portrait says about a territory, shared by the portal's pages and the printed
fiches (observatoire.publications): key figures, their plain-language summary and the
Vega-Lite chart specifications. Django-free; figures come through observatoire.figures."""
