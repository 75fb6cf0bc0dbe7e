"""Seed-plan indicators linked to the observatory: each link names a catalog indicator
(data in the seed workbooks), and the linked series fills itself on the action page."""

from __future__ import annotations

from importlib import resources

import openpyxl
import pytest

from observatoire.figures.coverage import loaded_millesimes
from observatoire.indicators.catalog import catalog

SEEDS = ("call-plh-2014-2020.xlsx", "lot-pd2h-2024-2030.xlsx", "nord-pdh.xlsx")


def _links() -> list[tuple[str, str, str, str]]:
    """(workbook, action, label, code) of every seed indicator with a code."""
    out = []
    for name in SEEDS:
        path = resources.files("observatoire.data") / "plans" / name
        with resources.as_file(path) as p:
            sheet = openpyxl.load_workbook(p, read_only=True)["Indicateurs"]
            rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        action, label, code = (
            header.index(c) for c in ("action", "indicateur", "code_observatoire")
        )
        out += [(name, str(r[action]), str(r[label]), r[code]) for r in rows[1:] if r[code]]
    return out


def test_every_seed_link_names_a_catalog_indicator() -> None:
    links = _links()
    assert [x for x in links if x[3] not in catalog()] == []
    # 4 links before the themes of issue 12 (all to logements_commences), 13 now.
    assert len(links) == 13
    assert (
        "nord-pdh.xlsx",
        "3",
        "Volume de friches traitées par an",
        "friches_traitees_annee",
    ) in links


@pytest.mark.parametrize("code", sorted({x[3] for x in _links()}))
def test_a_linked_series_fills_itself_on_the_action_page(client, code: str) -> None:  # type: ignore[no-untyped-def]
    from observatoire.plans.models import ActionIndicator

    linked = ActionIndicator.objects.filter(indicator_code=code).select_related("action__plan")
    assert linked.exists()
    filled = 0
    for ind in linked:
        a = ind.action
        html = client.get(f"/plans/{a.plan_id}/actions/{a.number}/").content.decode()
        block = html.split(f'data-indicator="{ind.pk}"')[1].split("</table>")[0]
        assert "Repris automatiquement de l'observatoire" in block
        filled += '<td class="nombre">' in block
    # A linked indicator whose source the demo does not load (Sitadel, FINESS) fills
    # itself once the source is imported; until then the page says there is no value.
    loaded = loaded_millesimes()
    if any(src in loaded for src in catalog()[code].sources):
        assert filled == linked.count()
    else:
        assert filled == 0
