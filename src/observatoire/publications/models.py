"""The publications' models, each in the module of its domain."""

from observatoire.publications.commentary import Commentary
from observatoire.publications.follows import Follow, Notification

__all__ = ["Commentary", "Follow", "Notification"]
