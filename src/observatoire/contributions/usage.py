"""Usage statistics of the platform: profiles, active users, sign-ins per month (audit
log, action `connexion`), documents downloaded (action `telechargement`) and
contributions, in total and by organisation type and by département.

Everything is counted per user and then added up, so a breakdown row is a sum of its
users. An animateur sees the users whose territories touch the départements of their
own scope; an administrator sees everyone, anonymous downloads included."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from observatoire import figures
from observatoire.accounts.models import AuditEvent, Organisation, Profile
from observatoire.accounts.permissions import profile_of, role_of
from observatoire.contributions.models import FigureContribution, Upload
from observatoire.territories import Level, Territory

ACTIVE_DAYS = 90
MONTHS = 12
NO_PROFILE = "Visiteurs non connectés, comptes sans profil"
NO_TERRITORY = "Sans territoire"
FRANCE = "France entière"
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
# Contributions made in the exchange app (calls for contribution, défis), when present.
EXCHANGE_MODELS = (("exchange", "Answer"), ("exchange", "DefiAnswer"))


@dataclass
class Counts:
    profiles: int = 0
    active: int = 0
    signins: int = 0
    downloads: int = 0
    contributions: int = 0

    def add(self, other: Counts) -> None:
        self.profiles += other.profiles
        self.active += other.active
        self.signins += other.signins
        self.downloads += other.downloads
        self.contributions += other.contributions


@dataclass
class Month:
    month: str  # "2026-03"
    label: str  # "mars 2026"
    signins: int
    downloads: int
    profiles: int


@dataclass
class Dashboard:
    total: Counts
    months: list[Month]
    by_kind: list[tuple[str, Counts]]
    by_departement: list[tuple[str, Counts]]
    contributions: dict[str, int] = field(default_factory=dict)
    everyone: bool = True  # an administrator's view (anonymous activity included)
    since: datetime | None = None


def month_starts(now: datetime, count: int = MONTHS) -> list[datetime]:
    """First instant of the last `count` months, the current one last (local time)."""
    local = timezone.localtime(now)
    year, month = local.year, local.month
    out = []
    for _ in range(count):
        out.append(
            local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
        )
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _departements(
    territories: list[Territory], cache: dict[Territory, frozenset[str] | None]
) -> frozenset[str] | None:
    """Département codes of a profile's territories (None: all of France)."""

    ref = figures.referential()
    out: set[str] = set()
    for t in territories:
        if t not in cache:
            if t.level is Level.FR:
                cache[t] = None
            elif ref.exists(t):
                cache[t] = frozenset(ref.commune_dep[c] for c in ref.communes_of(t))
            else:
                cache[t] = frozenset()
        found = cache[t]
        if found is None:
            return None
        out |= found
    return frozenset(out)


def _dep_label(code: str) -> str:

    t = Territory(Level.DEP, code)
    ref = figures.referential()
    return f"{ref.name(t)} ({code})" if ref.exists(t) else code


def _by_actor(rows: Any, key: str) -> Counter[int | None]:
    return Counter({r[key]: r["n"] for r in rows.values(key).annotate(n=Count("id")).order_by()})


def _exchange_contributions() -> list[tuple[str, Counter[int | None]]]:
    """Answers to calls and défis per author, for the exchange models already migrated."""
    out = []
    tables = set(connection.introspection.table_names())
    for app, name in EXCHANGE_MODELS:
        try:
            model = apps.get_model(app, name)
        except LookupError:
            continue
        if model._meta.db_table in tables:
            label = str(model._meta.verbose_name_plural).capitalize()
            out.append((label, _by_actor(model.objects.all(), "author")))
    return out


def compute(user: Any, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    starts = month_starts(now)
    since = starts[0]
    everyone = role_of(user) == "admin"
    dep_cache: dict[Territory, frozenset[str] | None] = {}
    profiles = list(Profile.objects.select_related("organisation", "user"))
    deps = {p.user_id: _departements(p.territories, dep_cache) for p in profiles}
    if not everyone:
        own = profile_of(user)
        mine = _departements(own.territories, dep_cache) if own is not None else frozenset()
        profiles = [
            p
            for p in profiles
            if mine is None
            or deps[p.user_id] is None
            or bool((deps[p.user_id] or frozenset()) & mine)
        ]
    kept = {p.user_id for p in profiles}

    def keep(counter: Counter[int | None]) -> Counter[int | None]:
        return counter if everyone else Counter({k: v for k, v in counter.items() if k in kept})

    signins = AuditEvent.objects.filter(action=AuditEvent.Action.CONNEXION)
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.TELECHARGEMENT)
    active = set(
        signins.filter(at__gte=now - timedelta(days=ACTIVE_DAYS)).values_list("actor", flat=True)
    )
    signin_counts = keep(_by_actor(signins.filter(at__gte=since), "actor"))
    download_counts = keep(_by_actor(downloads, "actor"))
    figure_counts = _by_actor(FigureContribution.objects.all(), "author")
    upload_counts = _by_actor(Upload.objects.all(), "author")
    exchange = _exchange_contributions()
    contribution_counts = figure_counts + upload_counts
    for _, counter in exchange:
        contribution_counts += counter
    contribution_counts = keep(contribution_counts)

    per_user: dict[int | None, Counts] = {}
    for p in profiles:
        per_user[p.user_id] = Counts(
            profiles=1,
            active=int(p.user_id in active),
            signins=signin_counts.get(p.user_id, 0),
            downloads=download_counts.get(p.user_id, 0),
            contributions=contribution_counts.get(p.user_id, 0),
        )
    if everyone:
        # Activity of anonymous visitors and of accounts without profile.
        rest = Counts()
        for counter, attr in (
            (signin_counts, "signins"),
            (download_counts, "downloads"),
            (contribution_counts, "contributions"),
        ):
            setattr(rest, attr, sum(v for k, v in counter.items() if k not in kept))
        rest.active = len({a for a in active if a is not None and a not in kept})
        per_user[None] = rest

    total = Counts()
    kinds: dict[str, Counts] = {}
    departements: dict[str, Counts] = {}
    kind_labels = dict(Organisation.Kind.choices)
    by_user = {p.user_id: p for p in profiles}
    for uid, counts in per_user.items():
        total.add(counts)
        p = by_user.get(uid) if uid is not None else None
        if p is None:
            kinds.setdefault(NO_PROFILE, Counts()).add(counts)
            departements.setdefault(NO_PROFILE, Counts()).add(counts)
            continue
        kind = (
            kind_labels.get(p.organisation.kind, p.organisation.kind)
            if p.organisation
            else "Sans organisation"
        )
        kinds.setdefault(kind, Counts()).add(counts)
        found = deps[p.user_id]
        labels = (
            [FRANCE]
            if found is None
            else ([_dep_label(d) for d in sorted(found)] or [NO_TERRITORY])
        )
        for label in labels:
            departements.setdefault(label, Counts()).add(counts)

    months = _months(starts, signins, downloads, profiles, kept if not everyone else None)
    contributions = {
        "Chiffres proposés": sum(keep(figure_counts).values()),
        "dont validés": _validated(None if everyone else kept),
        "Dépôts de données": sum(keep(upload_counts).values()),
    }
    for label, counter in exchange:
        contributions[label] = sum(keep(counter).values())
    return Dashboard(
        total=total,
        months=months,
        by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1].profiles, kv[0])),
        by_departement=sorted(departements.items(), key=lambda kv: kv[0]),
        contributions=contributions,
        everyone=everyone,
        since=since,
    )


def _validated(kept: set[int] | None) -> int:
    rows = FigureContribution.objects.filter(status=FigureContribution.Status.VALIDEE)
    if kept is not None:
        rows = rows.filter(author_id__in=kept)
    return rows.count()


def _months(
    starts: list[datetime],
    signins: Any,
    downloads: Any,
    profiles: list[Profile],
    kept: set[int] | None,
) -> list[Month]:
    def per_month(rows: Any) -> Counter[str]:
        if kept is not None:
            rows = rows.filter(actor_id__in=kept)
        out: Counter[str] = Counter()
        grouped = (
            rows.filter(at__gte=starts[0])
            .annotate(m=TruncMonth("at"))
            .values("m")
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in grouped:
            out[f"{timezone.localtime(r['m']) if timezone.is_aware(r['m']) else r['m']:%Y-%m}"] += (
                r["n"]
            )
        return out

    s, d = per_month(signins), per_month(downloads)
    created: Counter[str] = Counter(
        f"{timezone.localtime(p.user.date_joined):%Y-%m}"
        for p in profiles
        if p.user.date_joined >= starts[0]
    )
    return [
        Month(
            f"{m:%Y-%m}",
            f"{MONTH_NAMES[m.month - 1]} {m.year}",
            s.get(f"{m:%Y-%m}", 0),
            d.get(f"{m:%Y-%m}", 0),
            created.get(f"{m:%Y-%m}", 0),
        )
        for m in starts
    ]


def chart_spec(months: list[Month]) -> dict[str, Any]:
    """Vega-Lite bars of the sign-ins per month (the table next to it holds the figures)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Connexions par mois sur les douze derniers mois.",
        "width": "container",
        "height": 200,
        "data": {"values": [{"mois": m.label, "connexions": m.signins} for m in months]},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "mois",
                "type": "ordinal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": -40},
            },
            "y": {
                "field": "connexions",
                "type": "quantitative",
                "title": "Connexions",
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "tooltip": [
                {"field": "mois", "type": "ordinal", "title": "Mois"},
                {"field": "connexions", "type": "quantitative", "title": "Connexions"},
            ],
        },
    }
