"""The observatory team's commentary on a section (a theme of the catalog) of a territory's
portrait and fiche: Markdown written by the animateurs in scope, rendered to a safe subset
of HTML, versioned (every save is a new version; restoring one saves it again).

Each version keeps the figures it was written against (year, millésime, value of every
indicator of its theme, read through `observatoire.figures`): when a build brings another
millésime or another value, the commentary is carried over and flagged « à actualiser »
beside the figures that changed, never rewritten."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from markdown_it import MarkdownIt

from observatoire import figures
from observatoire.accounts.permissions import has_role, in_scope
from observatoire.figures import Reader
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.territories import Territory
from observatoire.territory_fields import TerritoryField

# Headings below the section's own (h2), lists, links, emphasis: nothing else survives.
TAGS = {"h3", "h4", "p", "ul", "ol", "li", "a", "em", "strong", "br", "blockquote"}
MAX_LENGTH = 20_000


class Commentary(models.Model):
    territory = TerritoryField("territoire")
    theme = models.CharField("thème", max_length=100)
    text = models.TextField("commentaire (Markdown)", max_length=MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    created_at = models.DateTimeField("enregistré le", default=timezone.now)
    # {indicator code: {"year", "millesime", "value", "formatted"}} when it was written.
    basis = models.JSONField("chiffres de référence", default=dict)

    class Meta:
        app_label = "publications"
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["territory", "theme", "-created_at"]),)
        verbose_name = "commentaire"

    def html(self) -> str:
        return render(self.text)


@dataclass(frozen=True)
class Changed:
    """A figure of the section that is not the one the commentary was written against."""

    label: str
    before: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.label} : {self.before} → {self.after}"


@dataclass(frozen=True)
class Shown:
    """The current version of a section's commentary, as a page or a fiche shows it."""

    theme: str
    html: str
    author: str
    created_at: Any
    changed: list[Changed]


def render(text: str) -> str:
    """Markdown to the safe subset (raw HTML in the text is never passed through)."""
    raw = MarkdownIt("commonmark", {"html": False}).render(text)
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def themes() -> dict[str, str]:
    """{slug: theme} in catalog order ("parc-de-logements": "Parc de logements")."""
    return {slugify(i.theme): i.theme for i in catalog().values()}


def indicators_of(theme: str) -> list[Indicator]:
    return [i for i in catalog().values() if i.theme == theme]


def can_edit(user: Any, territory: Territory) -> bool:
    """Admins, and animateurs whose scope covers the territory."""
    return has_role(user, "animateur") and in_scope(user, territory)


def visible(reader: Reader, territory: Territory, theme: str) -> bool:
    """Public when the section's figures are; otherwise for those who may read them all."""
    return all(reader.can_read(i.diffusion, territory) for i in indicators_of(theme))


def basis(territory: Territory, theme: str) -> dict[str, dict[str, Any]]:
    """The figures of the section now, as a version stores them."""
    out = {}
    for ind in indicators_of(theme):
        v = figures.value(ind.code, territory)
        out[ind.code] = {
            "year": v.year,
            "millesime": v.millesime,
            "value": v.value,
            "formatted": v.formatted(),
        }
    return out


def changed(version: Commentary) -> list[Changed]:
    """The section's figures whose year, millésime or value moved since `version`."""
    now = basis(version.territory, version.theme)
    out = []
    for ind in indicators_of(version.theme):
        was, current = version.basis.get(ind.code), now.get(ind.code)
        if was is None or current is None or current["value"] is None:
            continue
        if any(was.get(k) != current[k] for k in ("year", "millesime", "value")):
            out.append(Changed(ind.label, _dated(was), _dated(current)))
    return out


def _dated(state: dict[str, Any]) -> str:
    year = state.get("year")
    return f"{state.get('formatted')} ({year})" if year is not None else str(state.get("formatted"))


def history(territory: Territory, theme: str) -> list[Commentary]:
    return list(
        Commentary.objects.filter(territory=territory, theme=theme).select_related("author")
    )


def current(territory: Territory, theme: str) -> Commentary | None:
    return Commentary.objects.filter(territory=territory, theme=theme).first()


def save(territory: Territory, theme: str, text: str, author: Any) -> Commentary:
    """A new version, with the figures it is written against."""
    return Commentary.objects.create(
        territory=territory,
        theme=theme,
        text=text,
        author=author,
        basis=basis(territory, theme),
    )


def restore(version: Commentary, author: Any) -> Commentary:
    """`version` saved again as the newest one; it keeps the figures it was written
    against, so that it is still flagged when they have changed since."""
    return Commentary.objects.create(
        territory=version.territory,
        theme=version.theme,
        text=version.text,
        author=author,
        basis=version.basis,
    )


def shown(territory: Territory, reader: Reader) -> dict[str, Shown]:
    """{theme: the current commentary} of the sections the reader may read."""
    latest: dict[str, Commentary] = {}
    for c in Commentary.objects.filter(territory=territory).select_related("author"):
        latest.setdefault(c.theme, c)  # newest first (Meta.ordering)
    return {
        theme: Shown(
            theme=theme,
            html=c.html(),
            author=_author(c),
            created_at=c.created_at,
            changed=changed(c),
        )
        for theme, c in latest.items()
        if visible(reader, territory, theme)
    }


def _author(c: Commentary) -> str:
    if c.author is None:
        return "l'équipe de l'observatoire"
    profile = getattr(c.author, "profile", None)
    org = getattr(getattr(profile, "organisation", None), "name", "")
    name = c.author.get_full_name() or c.author.email or c.author.username
    return f"{name} ({org})" if org else name
