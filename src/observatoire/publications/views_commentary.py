"""The commentary zone of a section (theme) of a territory: write, see the history,
restore a version. Admins and the animateurs whose scope covers the territory."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.accounts.refusals import bad_request, forbidden
from observatoire.portrait import key_figures, summary
from observatoire.publications import commentary
from observatoire.territories import Territory, TerritoryError


def _section(territory_id: str, theme_slug: str) -> tuple[Territory, str]:
    try:
        t = figures.check(Territory.parse(territory_id))
    except TerritoryError as exc:
        raise Http404(str(exc)) from None
    theme = commentary.themes().get(theme_slug)
    if theme is None:
        raise Http404("Thème inconnu")
    return t, theme


def _refused(request: HttpRequest, t: Territory) -> HttpResponse:
    return forbidden(
        request,
        f"Seuls les administrateurs et les animateurs dont le périmètre couvre "
        f"{figures.territory_name(t)} peuvent commenter ses chiffres.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, territory_id: str, theme_slug: str) -> HttpResponse:
    t, theme = _section(territory_id, theme_slug)
    if not commentary.can_edit(request.user, t):
        return _refused(request, t)
    latest = commentary.current(t, theme)
    text = latest.text if latest is not None else ""
    if request.method == "POST":
        text = request.POST.get("texte", "").strip()
        if len(text) > commentary.MAX_LENGTH:
            return bad_request(
                request,
                f"Le commentaire dépasse {commentary.MAX_LENGTH} caractères : raccourcissez-le.",
            )
        if latest is None or text != latest.text:
            commentary.save(t, theme, text, request.user)
        return redirect(request.path)
    if request.GET.get("depuis") == "resume":
        # The generated summary as a starting point, in the form only: saved if the
        # animateur saves it, never written over the commentary by itself.
        items = key_figures.key_figures(reader_of(request.user), t)
        text = "\n\n".join(summary.summary(items))
    versions = commentary.history(t, theme)
    return render(
        request,
        "publications/commentary_edit.html",
        {
            "title": f"Commentaire « {theme} » — {figures.territory_name(t)}",
            "territory": t,
            "name": figures.territory_name(t),
            "theme": theme,
            "theme_slug": theme_slug,
            "text": text,
            "preview": commentary.render(text) if text else "",
            "changed": commentary.changed(latest) if latest is not None else [],
            "versions": versions,
        },
    )


@login_required
@require_POST
def restore(request: HttpRequest, territory_id: str, theme_slug: str, version: int) -> HttpResponse:
    t, theme = _section(territory_id, theme_slug)
    if not commentary.can_edit(request.user, t):
        return _refused(request, t)
    old = commentary.Commentary.objects.filter(territory=t, theme=theme, pk=version).first()
    if old is None:
        raise Http404("Version inconnue")
    commentary.restore(old, request.user)
    return redirect("publications:commentary", territory_id=t.id, theme_slug=theme_slug)
