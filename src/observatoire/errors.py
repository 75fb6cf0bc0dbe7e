"""The errors a user can cause (an unknown source, indicator or territory, a cube not
built yet), as opposed to bugs.

Their message is French and meant to be shown as is: the command line prints it without
a traceback (exit 2), the web answers with it. Anything else that escapes is a bug and
goes to the "Erreur interne" path, never disguised as a usage error."""

from __future__ import annotations


class UserError(Exception):
    """A request the observatoire cannot answer, explained in French."""


class UnknownSourceError(UserError):
    """A source name that no module of observatoire.sources declares."""


# Exit codes of `observatoire`, the same for the core's commands and the apps' commands
# (which never import the CLI package).
EXIT_INPUT = 1  # the file was refused, nothing stored
EXIT_USAGE = 2  # unknown indicator / territory / source, bad option
EXIT_INTERNAL = 70
