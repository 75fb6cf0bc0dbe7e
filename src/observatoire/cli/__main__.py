"""`python -m observatoire.cli` (the browser tests' server when no script is installed)."""

from observatoire.cli import main

main()
