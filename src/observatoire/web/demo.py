"""Demo content of the web apps (accounts, plans, exchange), loaded by `observatoire demo`
after the cube is built. Each loader is idempotent: a second demo run changes nothing."""

from __future__ import annotations

from rich.console import Console


def load(console: Console) -> None:
    from observatoire.accounts import demo as accounts_demo
    from observatoire.contributions import demo as contributions_demo
    from observatoire.exchange import demo as exchange_demo
    from observatoire.plans import demo as plans_demo

    accounts_demo.load(console)
    plans_demo.load(console)
    exchange_demo.load(console)
    contributions_demo.load(console)
