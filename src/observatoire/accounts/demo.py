"""Demo organisations (those of the seed plans' territories) and one account per role,
loaded by `observatoire demo` (idempotent: existing accounts and rights are kept).

The demo password is printed, and documented in the README, for the embedded mode only:
in production mode (OBSERVATOIRE_PRODUCTION=1) the accounts get no usable password (their
owners set one with « Mot de passe oublié »)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rich.console import Console

from observatoire.accounts.models import Organisation, Profile
from observatoire.settings import active

PASSWORD = "Habitat-demo-2026"
DOMAIN = "demo.observatoire-habitat.fr"

# name -> (kind, own territory); the same names as the other apps' demo content.
ORGANISATIONS = {
    "Observatoire de l'habitat": ("agence_urbanisme", ""),
    "Département du Nord": ("departement", "DEP:59"),
    "Département du Pas-de-Calais": ("departement", "DEP:62"),
    "Département du Lot": ("departement", "DEP:46"),
    "CA de Lens-Liévin": ("epci", "EPCI:246200364"),
    # The pilot of every action of the CALL PLH workbook (data/plans): its contributeur
    # updates the PLH's actions.
    "Communauté d'agglomération de Lens-Liévin": ("epci", "EPCI:246200364"),
    "CU d'Arras": ("epci", "EPCI:200033579"),
    "DDTM du Pas-de-Calais": ("etat", "DEP:62"),
    "ADIL du Nord": ("adil", ""),
}
# local part of the e-mail -> (role, organisation, scope)
ACCOUNTS = {
    "admin": ("admin", "Observatoire de l'habitat", []),
    "animateur.nord": ("animateur", "Département du Nord", ["DEP:59"]),
    "animateur.pas-de-calais": ("animateur", "Département du Pas-de-Calais", ["DEP:62"]),
    "animateur.lot": ("animateur", "Département du Lot", ["DEP:46"]),
    "contributeur.lens": (
        "contributeur",
        "Communauté d'agglomération de Lens-Liévin",
        ["EPCI:246200364"],
    ),
    "lecteur.lens": ("lecteur", "CA de Lens-Liévin", ["EPCI:246200364"]),
    "lecteur.arras": ("lecteur", "CU d'Arras", ["EPCI:200033579"]),
    "lecteur.ddtm": ("lecteur", "DDTM du Pas-de-Calais", ["DEP:62"]),
}


def _organisations() -> dict[str, Organisation]:
    out = {}
    for name, (kind, territory) in ORGANISATIONS.items():
        org, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "territory": territory}
        )
        if territory and not org.territory:
            org.territory = territory
            org.save(update_fields=["territory"])
        out[name] = org
    return out


def load(console: Console) -> None:
    production = active().production
    orgs = _organisations()
    users = get_user_model()
    created = 0
    lines = []
    for local, (role, org_name, scope) in ACCOUNTS.items():
        email = f"{local}@{DOMAIN}"
        user = users.objects.filter(username=email).first()
        if user is None:
            user = users.objects.create_user(
                username=email, email=email, password=None if production else PASSWORD
            )
            if role == "admin":
                user.is_staff = user.is_superuser = True
                user.save()
            created += 1
        Profile.objects.get_or_create(
            user=user,
            defaults={"organisation": orgs[org_name], "role": role, "territories": scope},
        )
        lines.append(f"  {email} — {role}, {org_name}, {', '.join(scope) or 'tous territoires'}")
    if production:
        console.print(
            f"Comptes : {len(ACCOUNTS)} comptes de démonstration ({created} créés) sans mot "
            "de passe (mode production) : « Mot de passe oublié » pour en définir un.",
            highlight=False,
        )
        return
    # One line per account, never folded: the addresses are copied from here.
    console.print(
        "[bold]Comptes de démonstration[/] (identifiant — rôle, organisation, territoires) :"
    )
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
    console.print(
        f"Mot de passe de ces comptes (démonstration seulement) : [bold]{PASSWORD}[/] — "
        "connexion sur /compte/connexion/.",
        highlight=False,
    )
