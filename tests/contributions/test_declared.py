"""Declared sources in the web app: the import page (scope of the file's territories,
located refusals) and the animateurs told when a convention ends. The declaration is the
shipped CCAPEX one (docs/sources-declarees/), the file is written by the test."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.test import Client
from tests.contributions.conftest import LENS_EPCI

from observatoire.indicators.declared import declare
from observatoire.settings import Settings
from observatoire.warehouse.store import list_imports

DOCS = Path(__file__).parents[2] / "docs" / "sources-declarees"
PAGE = "/contributions/sources-declarees/"


def csv(text: str, name: str = "ccapex-2024.csv") -> io.BytesIO:
    out = io.BytesIO(text.encode("utf-8"))
    out.name = name
    return out


HEAD = "COMMUNE;ANNEE;ASSIGNATIONS;CFP_ACCORDES\n"


def test_an_animateur_imports_a_file_of_his_territory(
    declared_dir: Callable[[date], Settings], signed_in: Callable[..., Client]
) -> None:
    settings = declared_dir(date.today() + timedelta(days=365))
    client = signed_in("animateur", [LENS_EPCI])
    page = client.get(PAGE)
    assert "CCAPEX" in page.content.decode()
    sent = client.post(PAGE, {"source": "ccapex", "fichier": csv(HEAD + "62498;2024;40;3\n")})
    assert sent.status_code == 302
    [stored] = list_imports(settings.warehouse_dir)
    assert (stored.source, stored.millesime, stored.provenance["file_name"]) == (
        "ccapex",
        2024,
        "ccapex-2024.csv",
    )


def test_a_file_outside_the_scope_or_wrong_is_refused_nothing_stored(
    declared_dir: Callable[[date], Settings], signed_in: Callable[..., Client]
) -> None:
    settings = declared_dir(date.today() + timedelta(days=365))
    client = signed_in("animateur", [LENS_EPCI])
    # Arras is not in the CA de Lens-Liévin.
    page = client.post(PAGE, {"source": "ccapex", "fichier": csv(HEAD + "62041;2024;40;3\n")})
    text = page.content.decode()
    assert page.status_code == 200 and "hors de votre périmètre" in text and "COM:62041" in text
    page = client.post(PAGE, {"source": "ccapex", "fichier": csv(HEAD + "62498;2024;beaucoup;3\n")})
    text = page.content.decode()
    assert "ASSIGNATIONS" in text and "beaucoup" in text and "Nombre entier attendu" in text
    assert list_imports(settings.warehouse_dir) == []


def test_animateurs_in_scope_are_told_once_when_the_convention_ends(
    declared_dir: Callable[[date], Settings], make_user: Callable[..., object], mailoutbox: list
) -> None:
    from observatoire.contributions.conventions import notify_expired
    from observatoire.warehouse.imports import import_file

    settings = declared_dir(date.today() - timedelta(days=1))
    data = settings.data_dir / "ccapex.csv"
    data.write_text(HEAD + "62498;2024;40;3\n", encoding="utf-8")
    import_file(settings, "ccapex", data)
    pas_de_calais = make_user("animateur", ["DEP:62"])
    lens = make_user("animateur", [LENS_EPCI])
    make_user("animateur", ["DEP:46"], organisation="Département du Lot")
    make_user("lecteur", [LENS_EPCI])
    told = notify_expired()
    # The demo's animateur of the Pas-de-Calais too; not those of the Nord or the Lot.
    demo = "animateur.pas-de-calais@demo.observatoire-habitat.fr"
    emails = [demo, pas_de_calais.email, lens.email]  # type: ignore[attr-defined]
    assert told == {"ccapex": sorted(emails)}
    [mail] = mailoutbox
    assert "Convention échue" in mail.subject and "31/12" not in mail.subject
    assert "ne sont plus diffusées" in mail.body
    assert notify_expired() == {}
    assert len(mailoutbox) == 1


def test_declared_indicators_in_the_api_under_their_diffusion(
    declared_dir: Callable[[date], Settings], signed_in: Callable[..., Client], tmp_path: Path
) -> None:
    from observatoire.indicators.cube import build
    from observatoire.warehouse.imports import import_file

    settings = declared_dir(date.today() + timedelta(days=365))
    text = (DOCS / "siao.toml").read_text(encoding="utf-8")
    path = tmp_path / "siao.toml"
    path.write_text(re.sub(r"(?m)^end = .*$", f"end = {date.today().year + 1}-12-31", text))
    declare(settings, path)
    for name, body in (
        ("ccapex", HEAD + "62498;2024;40;3\n"),
        ("siao", "CODE_COMMUNE;ANNEE;DEMANDES;ORIENTATIONS\n62498;2024;120;80\n"),
    ):
        data = tmp_path / f"{name}.csv"
        data.write_text(body, encoding="utf-8")
        import_file(settings, name, data)
    build(settings)
    url = "/api/v1/values?indicator={}&territory=COM:62498&year=2024"
    assert Client().get(url.format("siao_demandes")).status_code == 401
    assert Client().get(url.format("ccapex_assignations")).status_code == 401
    lens = signed_in("lecteur", [LENS_EPCI])
    arras = signed_in("lecteur", ["COM:62041"])
    [siao] = lens.get(url.format("siao_demandes")).json()["values"]
    assert (siao["value"], siao["source"]["code"]) == (120, "siao")
    assert arras.get(url.format("siao_demandes")).status_code == 403  # restreint
    [ccapex] = arras.get(url.format("ccapex_assignations")).json()["values"]  # partenaires
    assert ccapex["value"] == 40
    catalog = [i["code"] for i in lens.get("/api/v1/indicators").json()]
    assert {"siao_demandes", "ccapex_assignations"} <= set(catalog)
