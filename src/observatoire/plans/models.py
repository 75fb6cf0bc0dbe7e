"""A plan is a tree: orientations -> actions -> sub-actions (sous-actions, modalités).
Territories are TerritoryField values (stored as "COM:62498", "EPCI:246200364",
"GRP:...", read as observatoire.territories.Territory)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from observatoire.accounts.models import Organisation
from observatoire.territory_fields import TerritoryField


class PlanType(models.TextChoices):
    PLH = "PLH", "Programme local de l'habitat (PLH)"
    PDH = "PDH", "Plan départemental de l'habitat (PDH)"
    PD2H = "PD2H", "Plan départemental de l'habitat et de l'hébergement (PD2H)"
    PIG = "PIG", "Programme d'intérêt général (PIG)"
    PDALHPD = "PDALHPD", "PDALHPD"


class Plan(models.Model):
    title = models.CharField("intitulé", max_length=300)
    type = models.CharField("type", max_length=10, choices=PlanType.choices)
    territory = TerritoryField("territoire")
    start_year = models.PositiveSmallIntegerField("première année")
    end_year = models.PositiveSmallIntegerField("dernière année")
    adopted_on = models.DateField("date d'adoption", null=True, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name="maître d'ouvrage",
    )
    description = models.TextField("présentation", blank=True)
    # Label of the children of an action in this plan: "sous-action", "modalité"...
    child_label = models.CharField("libellé des sous-actions", max_length=40, default="sous-action")
    # Where the realisations of the objectives come from.
    realisations = models.CharField(
        "réalisations",
        max_length=30,
        default="operations",
        choices=[
            ("operations", "Opérations saisies (programmes financés)"),
            ("logements_autorises", "Sitadel : logements autorisés"),
            ("logements_commences", "Sitadel : logements commencés"),
        ],
    )

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = "plan"

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.start_year}-{self.end_year}"


class Orientation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="orientations")
    number = models.CharField("numéro", max_length=20)
    title = models.CharField("intitulé", max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="orientation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Orientation {self.number} — {self.title}"


class ActionStatus(models.TextChoices):
    A_LANCER = "a_lancer", "À lancer"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField("numéro", max_length=20)
    title = models.CharField("intitulé", max_length=500)
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.A_LANCER
    )
    context = models.TextField("contexte et constats", blank=True)
    objectives = models.TextField("objectifs", blank=True)
    description = models.TextField("descriptif, modalités opératoires", blank=True)
    territories = models.TextField("territoires ciblés", blank=True)
    publics = models.TextField("publics visés", blank=True)
    calendar = models.TextField("calendrier", blank=True)
    conditions = models.TextField("conditions de réussite, points de vigilance", blank=True)
    budget_note = models.TextField("budget (texte du plan)", blank=True)
    linked = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="linked_from",
        verbose_name="actions liées",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_unique")
        ]

    def __str__(self) -> str:
        return f"Action {self.number} — {self.title}"


class ActorRole(models.TextChoices):
    PILOTE = "pilote", "Pilote"
    PARTENAIRE = "partenaire", "Partenaire"


class ActionActor(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plan_roles"
    )
    role = models.CharField(max_length=20, choices=ActorRole.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation", "role"], name="action_actor_unique"
            )
        ]


class BudgetLine(models.Model):
    """Euros per year; None = not known (never 0 by default)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget")
    year = models.PositiveSmallIntegerField("année")
    prevu = models.DecimalField("prévu", max_digits=14, decimal_places=2, null=True, blank=True)
    engage = models.DecimalField("engagé", max_digits=14, decimal_places=2, null=True, blank=True)
    realise = models.DecimalField("réalisé", max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="budget_year_unique")
        ]


class MilestoneStatus(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    ATTEINT = "atteint", "Atteint"
    ABANDONNE = "abandonne", "Abandonné"


OPEN_MILESTONE = (MilestoneStatus.A_VENIR, MilestoneStatus.EN_COURS)


class Milestone(models.Model):
    """`due` keeps the plan's wording ("T1 2024", "2025", "S2 2026", "durée du plan",
    "annuel"); `due_date` is the last day of that period when it has one (lateness)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    label = models.CharField("jalon", max_length=500)
    due = models.CharField("échéance", max_length=60, blank=True)
    due_date = models.DateField("date d'échéance", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.A_VENIR
    )
    done_on = models.DateField("atteint le", null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def is_late(self, at: date) -> bool:
        """Due before `at` and not reached on that day: still open, or reached only after
        `at`. The one rule of the plan pages (at = today) and of the bilans (at = the end
        of the year), so that they never contradict each other. An abandoned milestone is
        never late; a reached one without a date counts as reached."""
        if self.due_date is None or self.due_date >= at:
            return False
        if self.status in OPEN_MILESTONE:
            return True
        reached_later = self.done_on is not None and self.done_on > at
        return self.status == MilestoneStatus.ATTEINT and reached_later


# Comment of the status changes the demo makes up for a plan that ended with no
# progress recorded (plans.demo.finished_states): how pages tell them from real ones.
DEMO_STATUS_COMMENT = "État de démonstration (plan achevé sans suivi saisi)"


class StatusChange(models.Model):
    """Dated history of an action's status (who changed it, when, why)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    comment = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ActionIndicator(models.Model):
    """An indicator de suivi: linked to the observatory catalogue (`indicator_code`,
    filled from the cube per territory and year) or manual (entries by the pilot)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField("indicateur", max_length=500)
    indicator_code = models.CharField("indicateur de l'observatoire", max_length=80, blank=True)
    territory = TerritoryField("territoire", blank=True)  # blank: the plan's
    unit = models.CharField("unité", max_length=40, blank=True)
    target = models.CharField("cible", max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class IndicatorEntry(models.Model):
    """A manual value; never updated in place: the latest entry of a year is current,
    earlier ones stay as history."""

    indicator = models.ForeignKey(ActionIndicator, on_delete=models.CASCADE, related_name="entries")
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=16, decimal_places=3)
    comment = models.CharField("commentaire", max_length=500, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["year", "entered_at", "id"]


class Product(models.TextChoices):
    PLAI = "plai", "PLAI"
    PLUS = "plus", "PLUS"
    PLS = "pls", "PLS"
    PSLA = "psla", "PSLA / accession sociale"
    ACCESSION_LIBRE = "accession_libre", "Accession libre"
    LOCATIF_LIBRE = "locatif_libre", "Locatif libre"
    TOTAL = "total", "Total"


class Objective(models.Model):
    """Dwellings to produce: territory (commune, sector GRP:..., or the plan's territory
    for the global target) x year x product. `total` is its own objective (products
    need not add up to it: CALL targets 1310/year of which 524 social)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    territory = TerritoryField("territoire")
    year = models.PositiveSmallIntegerField("année")
    product = models.CharField("produit", max_length=20, choices=Product.choices)
    value = models.PositiveIntegerField("objectif (logements)")
    # True when the figure is not from the plan but a demonstration split.
    is_demo = models.BooleanField("données de démonstration", default=False)

    class Meta:
        ordering = ["territory", "year", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "territory", "year", "product"], name="objective_unique"
            )
        ]


class Operation(models.Model):
    """A housing programme entered as a realisation (financed, authorised, started...)."""

    class Stage(models.TextChoices):
        FINANCEE = "financee", "Financée / agréée"
        AUTORISEE = "autorisee", "Autorisée"
        COMMENCEE = "commencee", "Commencée"
        LIVREE = "livree", "Livrée"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="operations")
    territory = TerritoryField("commune")
    year = models.PositiveSmallIntegerField("année")
    product = models.CharField("produit", max_length=20, choices=Product.choices)
    dwellings = models.PositiveIntegerField("logements")
    name = models.CharField("opération", max_length=300, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.FINANCEE)
    source = models.CharField("source", max_length=300, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["territory", "year", "product", "id"]


class Snapshot(models.Model):
    """ "Photographie au 31/12": everything the bilan of `year` needs, frozen as JSON, so
    the report can be regenerated identically after the data change."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    year = models.PositiveSmallIntegerField("année du bilan")
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    payload = models.JSONField()

    class Meta:
        ordering = ["-year", "-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="snapshot_year_unique")
        ]
