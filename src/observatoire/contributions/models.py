"""What partners bring to the observatory: a correction or a local figure proposed on a
value of the portal (validated by an animateur, with its dated history), partner data
uploads (commune housing projects, bailleur programming) and the annual satisfaction
survey. Territories are ids ("COM:62498"), as everywhere in the web apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from observatoire.accounts.authored import Authored
from observatoire.accounts.models import Organisation
from observatoire.plans.models import Operation, Product
from observatoire.territory_fields import TerritoryField, TerritoryListField


class FigureContribution(Authored):
    """A figure proposed for indicator x territory x year. The official value is never
    replaced: a validated contribution is shown next to it, marked as local."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        LOCAL = "chiffre_local", "Chiffre local"

    class Status(models.TextChoices):
        PROPOSEE = "proposee", "Proposée"
        VALIDEE = "validee", "Validée"
        REJETEE = "rejetee", "Rejetée"

    indicator_code = models.CharField("indicateur", max_length=80)
    territory = TerritoryField("territoire")
    year = models.PositiveSmallIntegerField("année")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    value = models.DecimalField("valeur proposée", max_digits=18, decimal_places=4)
    unit = models.CharField("unité", max_length=40, blank=True)
    source = models.CharField("source", max_length=300)
    comment = models.TextField("commentaire", blank=True)
    # The official figure when the proposal was made (what a correction corrects).
    official_value = models.FloatField("valeur officielle", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PROPOSEE
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "contribution sur un chiffre"
        verbose_name_plural = "contributions sur un chiffre"
        indexes = [models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.indicator_code} {self.territory} {self.year}"


class FigureEvent(models.Model):
    """Dated history of a contribution: proposed, validated or rejected, by whom, why."""

    contribution = models.ForeignKey(
        FigureContribution, on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(max_length=20, choices=FigureContribution.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    comment = models.CharField("motif", max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Upload(Authored):
    """A partner's spreadsheet, saved only once checked and confirmed, with its rows."""

    class Template(models.TextChoices):
        PROJETS = "projets", "Projets de logements (commune)"
        PROGRAMMATION = "programmation", "Programmation (bailleur)"

    file_name = models.CharField("fichier", max_length=300)
    digest = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    source = models.CharField("source", max_length=300)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "dépôt de données partenaires"
        verbose_name_plural = "dépôts de données partenaires"

    def __str__(self) -> str:
        return self.source


class UploadRow(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="rows")
    template = models.CharField("modèle", max_length=20, choices=Upload.Template.choices)
    sheet = models.CharField("feuille", max_length=40)
    line = models.PositiveIntegerField("ligne")
    territory = TerritoryField("commune")
    address = models.CharField("adresse", max_length=300, blank=True)
    name = models.CharField("opération", max_length=300)
    dwellings = models.PositiveIntegerField("logements")
    product = models.CharField("produit", max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField("année")
    stage = models.CharField(max_length=20, choices=Operation.Stage.choices)
    bailleur = models.CharField(max_length=200, blank=True)
    # The plan operations this row became (none when no PLH covers its commune and year).
    operations = models.ManyToManyField(Operation, blank=True, related_name="upload_rows")

    class Meta:
        ordering = ["upload", "sheet", "line"]


class DeclaredUpload(Authored):
    """A partner's file of a declared source (docs/sources-declarees/), checked when sent
    and kept pending until an animateur in scope validates it (it is then imported into
    the warehouse) or refuses it with a reason. The file is kept in the database: it is
    small, and it goes with the decision's transaction."""

    class Status(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de validation"
        VALIDE = "valide", "Validé et importé"
        REFUSE = "refuse", "Refusé"

    source = models.CharField("source déclarée", max_length=40)
    file_name = models.CharField("fichier", max_length=300)
    content = models.BinaryField("contenu")
    digest = models.CharField("empreinte SHA-256", max_length=64)
    # The file's territories when it was sent: who may validate it.
    territories = TerritoryListField("territoires", default=list)
    millesime = models.PositiveSmallIntegerField("millésime")
    rows = models.PositiveIntegerField("lignes")
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.EN_ATTENTE
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidé par",
    )
    reason = models.CharField("motif du refus", max_length=1000, blank=True)
    # The author has seen the decision on their list page (told once, there and by mail).
    decision_seen = models.BooleanField("décision vue par l'auteur", default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "dépôt d'une source déclarée"
        verbose_name_plural = "dépôts de sources déclarées"
        indexes = [models.Index(fields=["status", "source"])]

    def __str__(self) -> str:
        return f"{self.source} — {self.file_name}"


class Survey(models.Model):
    """The annual satisfaction survey; its questions are set by an animateur."""

    title = models.CharField("intitulé", max_length=300)
    year = models.PositiveSmallIntegerField("année")
    introduction = models.TextField("présentation", blank=True)
    is_open = models.BooleanField("ouverte aux réponses", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField("données de démonstration", default=False)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", "Note de 1 à 5"
        CHOIX = "choix", "Choix dans une liste"
        TEXTE = "texte", "Réponse libre"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField("question", max_length=500)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    # One choice per line (kind `choix`).
    choices = models.TextField("choix proposés", blank=True)
    required = models.BooleanField("réponse obligatoire", default=True)

    class Meta:
        ordering = ["position", "id"]

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class Response(models.Model):
    """One partner's answers; a user answers a survey once (demo answers have no user)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_response_per_user")
        ]


class ResponseItem(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="items")
    note = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_item_per_question")
        ]
