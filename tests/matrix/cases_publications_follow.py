"""Commentary of a portrait section (admins and animateurs in scope) and « Mes suivis »
(any signed-in user; a restricted indicator only where the user may read it)."""

from __future__ import annotations

from tests.matrix.cases import SIGNED_IN, Case, expect

EDITORS = ("admin", "animateur")  # the matrix animateur's scope is DEP:62
PARC = "/publications/commentaires/COM:62498/parc-de-logements/"
LOVAC = "vacance_longue_duree_part"


def _version_path() -> str:
    from observatoire.publications.commentary import Commentary
    from observatoire.territories import Territory

    version = Commentary.objects.create(
        territory=Territory.parse("COM:62498"), theme="Parc de logements", text="Matrice."
    )
    return f"{PARC}restaurer/{version.pk}/"


CASES = [
    Case("publications:commentary", PARC, expect(EDITORS, anonymous=302)),
    Case(
        "publications:commentary",
        PARC,
        expect(EDITORS, ok=302, anonymous=302),
        method="POST",
        data={"texte": "Analyse."},
    ),
    Case(
        "publications:commentary_restore",
        _version_path,
        expect(EDITORS, ok=302, anonymous=302),
        method="POST",
    ),
    Case("publications:follows", "/publications/suivis/", expect(SIGNED_IN, anonymous=302)),
    Case(
        "publications:follow",
        "/publications/suivis/suivre/",
        expect(SIGNED_IN, ok=302, anonymous=302),
        method="POST",
        data={"territoire": "COM:62498", "indicateur": "taux_vacance"},
    ),
    Case(
        "publications:follow",
        "/publications/suivis/suivre/",
        expect(tuple(r for r in SIGNED_IN if r != "lecteur_arras"), ok=302, anonymous=302),
        method="POST",
        data={"territoire": "COM:62498", "indicateur": LOVAC},
    ),
    Case(
        "publications:unfollow",
        "/publications/suivis/999999/arreter/",
        expect(SIGNED_IN, ok=302, anonymous=302),
        method="POST",
    ),
    Case(
        "publications:notifications_read",
        "/publications/suivis/notifications/lues/",
        expect(SIGNED_IN, ok=302, anonymous=302),
        method="POST",
    ),
]
