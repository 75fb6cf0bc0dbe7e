"""Contributions: validated local figures are public; proposing and depositing need a
contributeur, animateur or admin role (and the territory in scope); validating, the
usage dashboard and survey results are for animateurs and admins; every role answers
surveys. POSTs carry invalid data: allowed roles get the form back, nothing changes."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, SIGNED_IN, Case, expect

PROPOSERS = ("admin", "animateur", "contributeur_lens")
MANAGERS = ("admin", "animateur")
# Arras (COM:62041) lies in the animateur's Pas-de-Calais, not in the CA de Lens-Liévin.
ARRAS_PROPOSERS = ("admin", "animateur")


ANIMATEUR_SURVEY = "Enquête de l'animateur de la matrice"


def _demo_figure(status: str) -> int:
    from observatoire.contributions.models import FigureContribution

    found = FigureContribution.objects.filter(is_demo=True, status=status).order_by("pk").first()
    assert found is not None, f"contribution de démonstration « {status} » absente"
    return found.pk


def _upload_id() -> int:
    from observatoire.accounts.models import Organisation
    from observatoire.contributions.models import Upload, UploadRow

    org, _ = Organisation.objects.get_or_create(name="CA de Lens-Liévin", defaults={"kind": "epci"})
    upload, created = Upload.objects.get_or_create(
        file_name="matrice-des-droits.csv",
        defaults={"organisation": org, "source": "dépôt de la matrice des droits"},
    )
    if created:
        UploadRow.objects.create(
            upload=upload,
            template="projets",
            sheet="Projets",
            line=2,
            territory="COM:62498",
            name="Opération de la matrice",
            dwellings=3,
            product="plus",
            year=2090,
            stage="financee",
        )
    return upload.pk


def _arras_upload_id() -> int:
    """A deposit of the CA de Lens-Liévin on Arras: outside the scope of its member
    contributeur_lens (issue #11)."""
    from observatoire.accounts.models import Organisation
    from observatoire.contributions.models import Upload, UploadRow

    org, _ = Organisation.objects.get_or_create(name="CA de Lens-Liévin", defaults={"kind": "epci"})
    upload, created = Upload.objects.get_or_create(
        file_name="matrice-arras.csv", defaults={"organisation": org, "source": "matrice"}
    )
    if created:
        UploadRow.objects.create(
            upload=upload, template="projets", sheet="Projets", line=2, territory="COM:62041",
            name="Opération d'Arras", dwellings=3, product="plus", year=2090, stage="financee",
        )  # fmt: skip
    return upload.pk


def _declared_upload_id(author: str = "") -> int:
    """A pending file of a declared source on Lens: its author (the matrix contributeur
    of the CA de Lens-Liévin, or nobody) and the animateurs whose scope holds Lens."""
    from django.contrib.auth import get_user_model

    from observatoire.contributions.models import DeclaredUpload

    user = get_user_model().objects.get(username=f"matrice-{author}") if author else None
    upload, _ = DeclaredUpload.objects.get_or_create(
        file_name=f"matrice-{author or 'personne'}.csv",
        defaults={"author": user, "source": "ccapex", "content": b"COMMUNE;ANNEE\n",
                  "digest": "0" * 64, "territories": ["COM:62498"], "millesime": 2090,
                  "rows": 1},
    )  # fmt: skip
    return upload.pk


def _survey_id(title: str = "Enquête de la matrice des droits", creator: str = "") -> int:
    from django.contrib.auth import get_user_model

    from observatoire.contributions.models import Question, Survey

    author = get_user_model().objects.get(username=f"matrice-{creator}") if creator else None
    survey, created = Survey.objects.get_or_create(
        title=title, defaults={"year": 2090, "created_by": author}
    )
    if created:
        Question.objects.create(survey=survey, text="Note de la matrice", kind="note")
    return survey.pk


CASES = [
    Case("contributions:index", "/contributions/", expect(EVERYONE)),
    Case("contributions:figures", "/contributions/chiffres/", expect(EVERYONE)),
    Case(
        "contributions:propose",
        "/contributions/chiffres/proposer/?indicateur=log_total&territoire=COM:62498&annee=2022",
        expect(PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:propose",
        "/contributions/chiffres/proposer/?indicateur=log_total&territoire=COM:62041",
        expect(ARRAS_PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:propose",
        "/contributions/chiffres/proposer/",
        expect(PROPOSERS, anonymous=302),
        method="POST",
        data={"indicateur": "log_total", "territoire": "COM:62498", "annee": "2022"},
    ),
    Case(
        "contributions:mine",
        "/contributions/chiffres/mes-propositions/",
        expect(SIGNED_IN, anonymous=302),
    ),
    Case(
        "contributions:queue", "/contributions/chiffres/a-valider/", expect(MANAGERS, anonymous=302)
    ),
    Case(
        "contributions:figure",
        lambda: f"/contributions/chiffres/{_demo_figure('validee')}/",
        expect(EVERYONE),
    ),
    # A proposal on Liévin: the animateurs of its territory and the admins only.
    Case(
        "contributions:figure",
        lambda: f"/contributions/chiffres/{_demo_figure('proposee')}/",
        expect(MANAGERS, anonymous=302),
    ),
    Case(
        "contributions:decide",
        lambda: f"/contributions/chiffres/{_demo_figure('proposee')}/decision/",
        expect(MANAGERS, anonymous=302),
        method="POST",
        data={"decision": ""},
    ),
    Case("contributions:uploads", "/contributions/depots/", expect(PROPOSERS, anonymous=302)),
    Case(
        "contributions:upload", "/contributions/depots/deposer/", expect(PROPOSERS, anonymous=302)
    ),
    Case(
        "contributions:upload",
        "/contributions/depots/deposer/",
        expect(PROPOSERS, anonymous=302),
        method="POST",
        data={"modele": "projets"},
    ),
    Case(
        "contributions:upload_confirm",
        "/contributions/depots/confirmer/",
        expect(PROPOSERS, ok=400, anonymous=302),
        method="POST",
        data={"depot": "pas une confirmation"},
    ),
    Case("contributions:upload_template", "/contributions/depots/modele.xlsx", expect(EVERYONE)),
    Case(
        "contributions:upload_detail",
        lambda: f"/contributions/depots/{_upload_id()}/",
        expect(PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:upload_detail",
        lambda: f"/contributions/depots/{_arras_upload_id()}/",
        expect(MANAGERS, anonymous=302),
    ),
    Case("contributions:usage", "/contributions/statistiques/", expect(MANAGERS, anonymous=302)),
    # Declared sources: admins and animateurs with a scope import their files.
    Case(
        "contributions:declared",
        "/contributions/sources-declarees/",
        expect(MANAGERS, anonymous=302),
    ),
    Case(
        "contributions:declared",
        "/contributions/sources-declarees/",
        expect(MANAGERS, ok=404, anonymous=302),
        method="POST",
        data={"source": "source-inexistante"},
    ),
    # The declaration form: administrators only.
    Case(
        "contributions:declaration",
        "/contributions/sources-declarees/declarer/",
        expect(("admin",), anonymous=302),
    ),
    Case(
        "contributions:declaration",
        "/contributions/sources-declarees/declarer/",
        expect(("admin",), anonymous=302),
        method="POST",
        data={"source.name": ""},
    ),
    # Partner files of a declared source: sent by contributeurs, animateurs and admins
    # with a scope; seen by their author and decided by the animateurs in scope.
    Case(
        "contributions:declared_deposit",
        "/contributions/sources-declarees/deposer/",
        expect(PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:declared_deposit",
        "/contributions/sources-declarees/deposer/",
        expect(PROPOSERS, ok=404, anonymous=302),
        method="POST",
        data={"source": "source-inexistante"},
    ),
    Case(
        "contributions:declared_uploads",
        "/contributions/sources-declarees/depots/",
        expect(PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:declared_upload",
        lambda: f"/contributions/sources-declarees/depots/{_declared_upload_id()}/",
        expect(MANAGERS, anonymous=302),
    ),
    Case(
        "contributions:declared_upload",
        lambda: (
            f"/contributions/sources-declarees/depots/{_declared_upload_id('contributeur_lens')}/"
        ),
        expect(PROPOSERS, anonymous=302),
    ),
    Case(
        "contributions:declared_decide",
        lambda: (
            f"/contributions/sources-declarees/depots/{_declared_upload_id('contributeur_lens')}"
            "/decision/"
        ),
        expect(MANAGERS, anonymous=302),
        method="POST",
        data={"decision": ""},
    ),
    Case("contributions:surveys", "/contributions/enquetes/", expect(SIGNED_IN, anonymous=302)),
    Case(
        "contributions:survey_create",
        "/contributions/enquetes/nouvelle/",
        expect(MANAGERS, anonymous=302),
    ),
    Case(
        "contributions:survey_create",
        "/contributions/enquetes/nouvelle/",
        expect(MANAGERS, anonymous=302),
        method="POST",
        data={"titre": ""},
    ),
    Case(
        "contributions:survey_answer",
        lambda: f"/contributions/enquetes/{_survey_id()}/",
        expect(SIGNED_IN, anonymous=302),
    ),
    Case(
        "contributions:survey_answer",
        lambda: f"/contributions/enquetes/{_survey_id()}/",
        expect(SIGNED_IN, anonymous=302),
        method="POST",
        data={},
    ),
    Case(
        "contributions:survey_results",
        lambda: f"/contributions/enquetes/{_survey_id()}/resultats/",
        expect(MANAGERS, anonymous=302),
    ),
    # A survey is closed or reopened by its creator and the admins (issue #11): the
    # matrix animateur's own survey, closed then reopened (two managers: unchanged)...
    Case(
        "contributions:survey_toggle",
        lambda: f"/contributions/enquetes/{_survey_id(ANIMATEUR_SURVEY, 'animateur')}/etat/",
        expect(MANAGERS, ok=302, anonymous=302),
        method="POST",
    ),
    # ... and a survey created by nobody of the matrix: the admins only.
    Case(
        "contributions:survey_toggle",
        lambda: f"/contributions/enquetes/{_survey_id()}/etat/",
        expect(("admin",), ok=302, anonymous=302),
        method="POST",
    ),
]
