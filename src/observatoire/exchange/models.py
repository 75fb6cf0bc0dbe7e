"""The exchange platform (Nord PDH fiche 11): a document library with versions, calls for
contribution with their cahier de synthèse, and défis habitat asked to the network.

Territories and themes are lists of ids (as Profile.territories): the reading rights go
through accounts.permissions.can_read in Python, so lists are filtered there too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from observatoire.accounts.authored import Authored
from observatoire.territory_fields import TerritoryListField


class Theme(models.TextChoices):
    PARC_PRIVE = "parc_prive", "Parc privé et copropriétés"
    PARC_SOCIAL = "parc_social", "Parc social"
    VACANCE = "vacance", "Vacance et logements indignes"
    FONCIER = "foncier", "Foncier et friches"
    PRODUCTION = "production", "Production de logements"
    ENERGIE = "energie", "Rénovation énergétique"
    HEBERGEMENT = "hebergement", "Hébergement et logement accompagné"
    PUBLICS = "publics", "Publics spécifiques (jeunes, âgés, gens du voyage)"
    MARCHES = "marches", "Marchés immobiliers"
    OBSERVATION = "observation", "Observation et animation"


class Diffusion(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTENAIRES = "partenaires", "Partenaires (comptes de l'observatoire)"
    RESTREINT = "restreint", "Restreint (partenaires des territoires concernés)"


class DocumentKind(models.TextChoices):
    ETUDE = "etude", "Étude"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    PLH = "plh", "PLH"
    PDH = "pdh", "PDH / PDALHPD"
    PLU = "plu", "PLU / PLUi"
    SCOT = "scot", "SCoT"
    COMPTE_RENDU = "compte_rendu", "Compte rendu"
    BILAN = "bilan", "Bilan"
    NOTE = "note", "Note de conjoncture"
    DONNEES = "donnees", "Données"
    AUTRE = "autre", "Autre"


class StoredFile(models.Model):
    """A file kept under Settings.files_dir with a random name; `filename` is the cleaned
    name shown and sent in Content-Disposition, never used on disk."""

    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    filename = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )

    class Meta:
        abstract = True


class Document(Authored):
    title = models.CharField("titre", max_length=300)
    kind = models.CharField("type", max_length=20, choices=DocumentKind.choices)
    summary = models.TextField("résumé", blank=True)
    territories = TerritoryListField("territoires", default=list, blank=True)
    themes = models.JSONField("thèmes", default=list, blank=True)
    date = models.DateField("date du document")
    diffusion = models.CharField(
        "diffusion", max_length=20, choices=Diffusion.choices, default=Diffusion.PARTENAIRES
    )
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)
    is_demo = models.BooleanField("démonstration", default=False)
    # Folded (lower case, no accents) title, summary and text of every version: the
    # full-text search is a `contains` on it, the same on SQLite and PostgreSQL.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "document"

    def __str__(self) -> str:
        return self.title


class DocumentVersion(StoredFile):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    note = models.CharField("nature de la modification", max_length=300, blank=True)
    text = models.TextField("texte extrait", blank=True, editable=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = "version de document"
        verbose_name_plural = "versions de document"
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} — version {self.number}"


class Call(Authored):
    """An appel à contribution opened by an animateur; answers are accepted while it is
    open and its deadline is not past. Closed calls stay readable."""

    title = models.CharField("titre", max_length=300)
    question = models.TextField("question posée")
    themes = models.JSONField("thèmes", default=list, blank=True)
    territories = TerritoryListField("territoires", default=list, blank=True)
    deadline = models.DateField("date limite des réponses")
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    synthesis = models.TextField("cahier de synthèse", blank=True)
    synthesis_updated = models.DateTimeField("synthèse mise à jour le", null=True, blank=True)
    synthesis_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="synthèse rédigée par",
    )
    is_demo = models.BooleanField("démonstration", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "appel à contribution"
        verbose_name_plural = "appels à contribution"

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def accepts_answers(self) -> bool:
        return not self.is_closed and timezone.localdate() <= self.deadline


class Answer(Authored):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField("réponse")
    # Set by the animateur to group answers when writing the synthesis.
    tags = models.JSONField("étiquettes", default=list, blank=True)
    hidden = models.BooleanField("masquée", default=False)
    hidden_reason = models.CharField("motif du masquage", max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="masquée par",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "réponse à un appel"
        verbose_name_plural = "réponses à un appel"

    def __str__(self) -> str:
        return f"Réponse #{self.pk} à « {self.call} »"


class Attachment(StoredFile):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"

    def __str__(self) -> str:
        return self.filename


class Defi(Authored):
    """A défi habitat: a question asked to the network; the asker or an animateur marks
    the answer that solved it."""

    title = models.CharField("titre", max_length=300)
    question = models.TextField("question")
    themes = models.JSONField("thèmes", default=list, blank=True)
    territories = TerritoryListField("territoires", default=list, blank=True)
    accepted_answer = models.ForeignKey(
        "DefiAnswer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réponse retenue",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="retenue par",
    )
    is_demo = models.BooleanField("démonstration", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "défi habitat"
        verbose_name_plural = "défis habitat"

    def __str__(self) -> str:
        return self.title


class DefiAnswer(Authored):
    defi = models.ForeignKey(Defi, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField("réponse")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "réponse à un défi"
        verbose_name_plural = "réponses à un défi"

    def __str__(self) -> str:
        return f"Réponse #{self.pk} au défi « {self.defi} »"
