"""`observatoire plans ...`: import / export plan workbooks (French messages)."""

from __future__ import annotations

import click


@click.group(help="Plans (PLH, PDH, PD2H...) : import et export des classeurs Excel.")
def plans() -> None:
    pass
