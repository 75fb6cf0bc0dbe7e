"""The open data releases page: the releases written in the data dir
(`observatoire publications release`), their files, and what changed between two of
them. Public: a release holds public diffusion only."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire.figures import french_number
from observatoire.indicators.catalog import catalog
from observatoire.releases import changes, writer
from observatoire.settings import active

FILES = {
    writer.CSV_NAME: "text/csv; charset=utf-8",
    writer.PARQUET_NAME: "application/vnd.apache.parquet",
    writer.SCHEMA_NAME: "application/json",
    writer.README_NAME: "text/markdown; charset=utf-8",
}
# Enough lines to read on a page; the counts say how many there are.
SHOWN = 300


def _shown(raw: str, code: str) -> str:
    indicator = catalog().get(code)
    if not raw:
        return "—"
    if indicator is None:
        return raw
    return f"{french_number(float(raw), indicator.decimals)} {indicator.unit}"


def _lines(found: list[changes.Change]) -> list[dict[str, Any]]:
    labels = {code: i.label for code, i in catalog().items()}
    return [
        {
            "indicator": labels.get(c.indicator, c.indicator),
            "territory": f"{c.name} ({c.level} {c.code})",
            "year": c.year,
            "before": _shown(c.before, c.indicator),
            "after": _shown(c.after, c.indicator),
        }
        for c in found[:SHOWN]
    ]


def releases(request: HttpRequest) -> HttpResponse:
    folder = writer.releases_dir(active())
    listed = changes.listed(folder)
    context: dict[str, Any] = {"title": "Données ouvertes", "releases": listed, "files": FILES}
    old, new = request.GET.get("de", ""), request.GET.get("a", "")
    if old or new:
        before, after = changes.find(folder, old), changes.find(folder, new)
        if before is None or after is None:
            context["error"] = "Choisissez deux publications de la liste."
        else:
            found = changes.between(before, after)
            labels = {code: i.label for code, i in catalog().items()}
            context |= {
                "old": old,
                "new": new,
                "changed": _lines(found.changed),
                "changed_count": len(found.changed),
                "added": _lines(found.added),
                "added_count": len(found.added),
                "millesimes": [
                    (labels.get(code, code), source, millesime)
                    for code, source, millesime in found.new_millesimes
                ],
                "shown": SHOWN,
            }
    return render(request, "portal/releases.html", context)


def release_file(request: HttpRequest, name: str, filename: str) -> FileResponse:
    found = changes.find(writer.releases_dir(active()), name)
    if found is None or filename not in FILES or not (found / filename).is_file():
        raise Http404("Publication introuvable")
    response = FileResponse(
        (found / filename).open("rb"),
        as_attachment=True,
        filename=f"{name}_{filename}",
        content_type=FILES[filename],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
