"""Observatoire de l'habitat et de l'hébergement."""

__version__ = "0.1.0"
