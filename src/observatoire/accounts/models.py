"""Organisations and the users' roles, scoped to territories (TerritoryField and
TerritoryListField: stored as ids such as "EPCI:246200364", read as Territory)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from observatoire.territories import Territory
from observatoire.territory_fields import TerritoryField, TerritoryListField


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DEPARTEMENT = "departement", "Département"
        REGION = "region", "Région"
        ETAT = "etat", "État (préfecture, DDT, DDETS, DREAL)"
        EPCI = "epci", "EPCI"
        COMMUNE = "commune", "Commune"
        BAILLEUR = "bailleur", "Bailleur social"
        ADIL = "adil", "ADIL"
        OPERATEUR = "operateur", "Opérateur"
        ASSOCIATION = "association", "Association"
        AGENCE = "agence_urbanisme", "Agence d'urbanisme"
        ETABLISSEMENT = "etablissement_public", "Établissement public (EPF, CAF, ANAH...)"
        AUTRE = "autre", "Autre"

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.AUTRE)
    # The organisation's own territory when it has one (EPCI, commune, département).
    territory = TerritoryField("territoire", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de l'observatoire"
    ANIMATEUR = "animateur", "Animateur"
    CONTRIBUTEUR = "contributeur", "Contributeur"
    LECTEUR = "lecteur", "Lecteur partenaire"


class Profile(models.Model):
    """A signed-in user's organisation, role and territorial scope. No profile, or an
    empty scope, grants nothing beyond public data (deny by default); an `admin` sees
    every territory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.LECTEUR)
    territories = TerritoryListField("territoires", default=list, blank=True)

    class Meta:
        verbose_name = "profil"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def scope(self) -> list[Territory]:
        return list(self.territories)


class ApiToken(models.Model):
    """Only the SHA-256 of the key is stored: the key is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField("libellé", max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user: object, label: str = "") -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, digest=cls.hash(key), label=label)
        return token, key


class AuditEvent(models.Model):
    """Sign-ins, permission changes, imports and deletions (who, what, when, from where)."""

    class Action(models.TextChoices):
        CONNEXION = "connexion", "Connexion"
        ECHEC_CONNEXION = "echec_connexion", "Échec de connexion"
        DECONNEXION = "deconnexion", "Déconnexion"
        DROITS = "droits", "Modification des droits"
        INVITATION = "invitation", "Invitation"
        IMPORT = "import", "Import"
        SUPPRESSION = "suppression", "Suppression"
        TELECHARGEMENT = "telechargement", "Téléchargement"
        VALIDATION = "validation", "Validation"
        JETON = "jeton", "Jeton d'API"
        ACCES = "acces", "Demande d'accès"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    target = models.CharField("objet", max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "événement du journal"
        verbose_name_plural = "événements du journal"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target}"


class Invitation(models.Model):
    """An e-mail invited by an administrator or an animateur, with the organisation, role
    and territories the account will get. The link carries a signed id (valid
    `Invitation.DAYS` days) and works once."""

    DAYS = 7

    email = models.EmailField("adresse électronique")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    territories = TerritoryListField("territoires", default=list, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name="invité par",
    )
    created = models.DateTimeField("envoyée le", auto_now_add=True)
    accepted = models.DateTimeField("acceptée le", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name="compte créé",
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = "invitation"

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()}, {self.organisation})"


class AccessRequest(models.Model):
    """A signed-in user asks the animateurs of a territory for figures of a diffusion
    level out of their reach there (issue #14 §5); granting widens the requester's scope
    (Profile.territories), the one right the permission model knows. One pending request
    per requester, territory and diffusion level."""

    class State(models.TextChoices):
        PENDING = "en_attente", "En attente"
        GRANTED = "accordee", "Accordée"
        REFUSED = "refusee", "Refusée"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name="demandeur",
    )
    territory = TerritoryField("territoire")
    diffusion = models.CharField("niveau de diffusion", max_length=20)
    # The figure that prompted the request (catalog code), when it came from one.
    indicator = models.CharField("indicateur", max_length=100, blank=True)
    reason = models.TextField("motif de la demande")
    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    created = models.DateTimeField("demandée le", auto_now_add=True)
    decided = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_decisions",
        verbose_name="décidée par",
    )
    answer = models.TextField("réponse", blank=True)
    # The requester has seen the decision on their page (the in-app message).
    seen = models.BooleanField("réponse lue", default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = "demande d'accès"
        verbose_name_plural = "demandes d'accès"
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "territory", "diffusion"],
                condition=Q(state="en_attente"),
                name="access_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} : {self.territory} ({self.diffusion}, {self.get_state_display()})"
