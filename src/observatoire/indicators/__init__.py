from observatoire.status import Status

__all__ = ["Status"]
