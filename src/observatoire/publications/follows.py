"""Alerts on data releases (issue #15 §6): a signed-in user follows a territory (all the
indicators it may read there) or one indicator of a territory; after a build,
`observatoire publications alertes` compares each followed value with the one last seen
for that follow and tells the user what changed, in the app and by e-mail.

Only the followed (territory, indicator) pairs are read, through `observatoire.figures`
with the follower's own rights: a value the user may not read (restricted, out of scope,
a convention that ended) is neither compared nor stored nor told."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models
from django.utils import timezone

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.figures import Reader, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.settings import active
from observatoire.territories import Territory
from observatoire.territory_fields import TerritoryField


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    territory = TerritoryField("territoire")
    # Blank: every indicator of the territory the user may read.
    indicator = models.CharField("indicateur", max_length=100, blank=True)
    created_at = models.DateTimeField("suivi depuis", default=timezone.now)
    # {indicator code: {"year", "millesime", "value", "formatted"}} as last seen.
    seen = models.JSONField("dernières valeurs vues", default=dict)

    class Meta:
        app_label = "publications"
        ordering = ("territory", "indicator")
        constraints = (
            models.UniqueConstraint(
                fields=["user", "territory", "indicator"], name="publications_follow_once"
            ),
        )
        verbose_name = "suivi"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField("ce qui a changé")
    territory = TerritoryField("territoire")
    indicator = models.CharField("indicateur", max_length=100)
    created_at = models.DateTimeField("le", default=timezone.now)
    read = models.BooleanField("lue", default=False)

    class Meta:
        app_label = "publications"
        ordering = ("-created_at", "-id")
        verbose_name = "notification"


def indicators_of(follow: Follow, reader: Reader) -> list[Indicator]:
    """The followed indicators the reader may read on the follow's territory."""
    wanted = [catalog()[follow.indicator]] if follow.indicator in catalog() else []
    if not follow.indicator:
        wanted = list(catalog().values())
    return [i for i in wanted if reader.can_read(i.diffusion, follow.territory)]


def _state(v: Value) -> dict[str, Any]:
    return {"year": v.year, "millesime": v.millesime, "value": v.value, "formatted": v.formatted()}


def _readable(reader: Reader, ind: Indicator, t: Territory) -> Value | None:
    v = figures.read_value(reader, ind, t)
    return v if v.value is not None else None


def snapshot(follow: Follow) -> dict[str, dict[str, Any]]:
    """What the follower reads now of the followed values (nothing they may not read)."""
    reader = reader_of(follow.user)
    out = {}
    for ind in indicators_of(follow, reader):
        if (v := _readable(reader, ind, follow.territory)) is not None:
            out[ind.code] = _state(v)
    return out


def start(user: Any, territory: Territory, indicator: str = "") -> Follow:
    """Follow (once); the values read now are the ones later builds are compared with."""
    follow, created = Follow.objects.get_or_create(
        user=user, territory=territory, indicator=indicator
    )
    if created:
        follow.seen = snapshot(follow)
        follow.save(update_fields=["seen"])
    return follow


def sentence(v: Value, before: dict[str, Any]) -> str:
    """ "Taux de vacance de Liévin : 9,1 % → 9,4 %, 2022 (millésime 2022)"."""
    of = figures.territory_of_name(v.territory)
    text = f"{v.indicator.label} {of} : {before.get('formatted')} → {v.formatted()}"
    if v.year is not None:
        text += f", {v.year}"
    if v.millesime is not None and v.millesime != before.get("millesime"):
        text += f" (nouveau millésime {v.millesime})"
    return text


def check(follow: Follow) -> list[Notification]:
    """The changes since the follow's last seen values, told and remembered."""
    reader = reader_of(follow.user)
    told, seen = [], dict(follow.seen)
    for ind in indicators_of(follow, reader):
        v = _readable(reader, ind, follow.territory)
        if v is None:
            continue
        now, was = _state(v), seen.get(ind.code)
        if was is not None and any(was.get(k) != now[k] for k in ("year", "millesime", "value")):
            told.append(
                Notification(
                    user=follow.user,
                    text=sentence(v, was),
                    territory=follow.territory,
                    indicator=ind.code,
                )
            )
        seen[ind.code] = now
    if seen != follow.seen:
        follow.seen = seen
        follow.save(update_fields=["seen"])
    return told


def run() -> list[Notification]:
    """Check every follow of every active user; store the notifications and e-mail each
    user with an address one message listing theirs. Run after each build."""
    told: dict[Any, list[Notification]] = {}
    for follow in Follow.objects.filter(user__is_active=True).select_related("user"):
        for n in check(follow):
            told.setdefault(follow.user, []).append(n)
    out = []
    for user, items in told.items():
        out += Notification.objects.bulk_create(items)
        if user.email:
            lines = "\n".join(f"- {n.text}" for n in items)
            send_mail(
                "Observatoire de l'habitat : du nouveau sur vos suivis",
                f"Bonjour,\n\nLes chiffres que vous suivez ont changé :\n\n{lines}\n\n"
                "Gérez vos suivis sur la page « Mes suivis » du portail.\n",
                active().email_from,
                [user.email],
            )
    return out


def unread(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read=False).count()
