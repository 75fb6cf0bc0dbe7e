"""When the convention of a declared source has ended, its values are no longer served
(observatoire.indicators.query) and the animateurs in scope are told, once, by e-mail
(the mail settings of the invitations): `observatoire conventions`, run daily."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.mail import send_mail

from observatoire import figures
from observatoire.accounts.models import Profile, Role
from observatoire.figures.declared import DeclaredSource, declared_sources
from observatoire.settings import active
from observatoire.territories import Territory


def _touches(territory: Territory, departements: tuple[str, ...]) -> bool:
    return any(
        c[:2] in departements or c[:3] in departements for c in figures.communes_of(territory)
    )


def animateurs_in_scope(source: DeclaredSource) -> list[Any]:
    """Active animateurs with an e-mail whose scope meets the source's départements (all
    the animateurs when its files are by EPCI)."""
    out = []
    for profile in Profile.objects.filter(role=Role.ANIMATEUR).select_related("user"):
        user = profile.user
        if not user.is_active or not user.email or not profile.scope():
            continue
        if source.departements is None or any(
            _touches(t, source.departements) for t in profile.scope()
        ):
            out.append(user)
    return out


def _marker(source: DeclaredSource) -> Any:
    return active().data_dir / "conventions-prevenues" / f"{source.name}-{source.end}"


def notify_expired(today: date | None = None) -> dict[str, list[str]]:
    """Tell the animateurs in scope of each source whose convention has ended (once per
    source and end date). Returns the addresses told, by source."""
    told: dict[str, list[str]] = {}
    for source in declared_sources(today):
        marker = _marker(source)
        if not source.expired or marker.exists():
            continue
        users = animateurs_in_scope(source)
        emails = sorted(u.email for u in users)
        if emails:
            send_mail(
                f"Convention échue : {source.label}",
                f"Bonjour,\n\nLa {source.expiry_note}.\n\nLes indicateurs de cette source "
                "sont affichés « non disponible » avec cette explication dans le portail, "
                "l'explorateur, les exports et l'API. Pour les diffuser de nouveau, "
                "renouvelez la convention avec "
                f"{source.producer}, puis déclarez la nouvelle date de fin "
                f"(observatoire sources declare {source.name}.toml).\n",
                active().email_from,
                emails,
            )
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("\n".join(emails), encoding="utf-8")
        told[source.name] = emails
    return told
