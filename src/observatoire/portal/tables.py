"""The explorer's table of values, one page at a time: filtered by name or code, sorted
in French dictionary order, paginated server side (?page=, ?filtre=), so a département's
887 communes do not make a 50,000 px page and nothing needs JavaScript."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from observatoire.territories.search import collation_key, words_of

PAGE_SIZE = 50
PARAMS = ("page", "filtre")


def sort_rows(rows: list[dict[str, Any]]) -> None:
    """French order of names ("Méricourt" < "Meurchin", "Œuf-en-Ternois" among the O)."""
    rows.sort(key=lambda r: collation_key(r["name"]))


def table_page(rows: list[dict[str, Any]], request: HttpRequest | None) -> dict[str, Any]:
    """The rows of the requested page after the filter, with what the pager and the
    filter form need: the other parameters of the page are kept in every link."""
    get = request.GET if request is not None else {}
    wanted = words_of(str(get.get("filtre", "")))[:100]
    shown = rows
    if wanted:
        shown = [
            r
            for r in rows
            if wanted in words_of(r["name"]) or r["territory"].code.lower().startswith(wanted)
        ]
    page = Paginator(shown, PAGE_SIZE).get_page(get.get("page"))
    keep = request.GET.copy() if request is not None else None
    hidden: list[tuple[str, str]] = []
    if keep is not None:
        for name in PARAMS:
            keep.pop(name, None)
        hidden = [(k, v) for k, values in keep.lists() for v in values]
    params = keep.urlencode() if keep is not None else ""
    if wanted and keep is not None:
        keep["filtre"] = str(get.get("filtre", ""))
    return {
        "rows": list(page.object_list),
        "page": page,
        "filter": str(get.get("filtre", "")).strip(),
        "matched": len(shown),
        "paged": page.has_other_pages(),
        "hidden": hidden,
        "params": params,
        "page_params": keep.urlencode() if keep is not None else "",
    }
