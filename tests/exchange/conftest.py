"""Users of each role and scope, signed-in clients and small real files (PDFs rendered by
WeasyPrint) for the exchange tests."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from observatoire.settings import Settings

LENS = "EPCI:246200364"
ARRAS = "EPCI:200033579"
_counter = itertools.count()


def unique(label: str) -> str:
    """A title no other document of the test uses."""
    return f"{label} {next(_counter)}"


@functools.cache
def pdf_bytes(*paragraphs: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    pdf: bytes = HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    return pdf


@pytest.fixture
def users(web: Settings) -> dict[str, Any]:
    """exch-<name> users: admin, animateur of the Pas-de-Calais, animateur of the Nord,
    contributeurs and lecteurs of Lens-Liévin and Arras, and a signed-in user without
    any role."""
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    specs = {
        "admin": ("admin", "Observatoire départemental de l'habitat", []),
        "animateur": ("animateur", "Département du Pas-de-Calais", ["DEP:62"]),
        "animateur_nord": ("animateur", "Département du Nord", ["DEP:59"]),
        "contributeur_lens": ("contributeur", "CA de Lens-Liévin", [LENS]),
        "contributeur_lens_2": ("contributeur", "CA de Lens-Liévin", [LENS]),
        "contributeur_arras": ("contributeur", "CU d'Arras", [ARRAS]),
        "lecteur_lens": ("lecteur", "CA de Lens-Liévin", [LENS]),
        "lecteur_arras": ("lecteur", "CU d'Arras", [ARRAS]),
    }
    out: dict[str, Any] = {}
    for name, (role, org_name, scope) in specs.items():
        org, _ = Organisation.objects.get_or_create(name=org_name)
        user, _ = get_user_model().objects.get_or_create(username=f"exch-{name}")
        Profile.objects.update_or_create(
            user=user, defaults={"organisation": org, "role": role, "territories": scope}
        )
        out[name] = user
    out["sans_role"], _ = get_user_model().objects.get_or_create(username="exch-sans-role")
    return out


@pytest.fixture
def as_user(users: dict[str, Any]) -> Callable[[str | None], Any]:
    """as_user("lecteur_lens") -> a django.test.Client signed in as that user (None:
    anonymous)."""
    from django.test import Client

    def make(name: str | None) -> Any:
        client = Client()
        if name is not None:
            client.force_login(users[name])
        return client

    return make


def upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def document_form(**overrides: Any) -> dict[str, Any]:
    """A valid deposit form (add "file")."""
    data: dict[str, Any] = {
        "title": unique("Étude de test"),
        "kind": "etude",
        "summary": "",
        "territories": LENS,
        "themes": ["vacance"],
        "date": "2025-04-01",
        "organisation": "",
        "diffusion": "partenaires",
    }
    data.update(overrides)
    return data
