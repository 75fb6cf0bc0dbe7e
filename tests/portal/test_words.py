"""Words on the pages, written once (observatoire.words, territories.articles through the
built-in filters of web/words.py): "1 site" / "2 sites", "communes du Pas-de-Calais",
"intercommunalités du Lot", "de la CA de Lens - Liévin", never "(millésime None)", and
the admin's plurals ("Réponses à un appel", not "Réponse à un appels")."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.template import Context, Template

from observatoire.territories import Territory


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ('{{ n|nombre:"site" }}', {"n": 1}, "1 site"),
        ('{{ n|nombre:"site" }}', {"n": 2}, "2 sites"),
        ('{{ n|nombre:"site" }}', {"n": 0}, "0 site"),
        (
            '{{ n|nombre:"réponse à un appel,réponses à un appel" }}',
            {"n": 2},
            "2 réponses à un appel",
        ),
        ('{{ n|accord:"recensé" }}', {"n": 6}, "recensés"),
        ("communes {{ t|de }}", {"t": Territory.parse("DEP:62")}, "communes du Pas-de-Calais"),
        (
            "intercommunalités {{ t|de }}",
            {"t": Territory.parse("DEP:46")},
            "intercommunalités du Lot",
        ),
        ("communes {{ t|de }}", {"t": "DEP:53"}, "communes de la Mayenne"),
        ("communes {{ t|de }}", {"t": "EPCI:246200364"}, "communes de la CA de Lens - Liévin"),
    ],
)
def test_builtin_word_filters(template: str, context: dict[str, object], expected: str) -> None:
    # Built in: no {% load %}, so every app's templates use the same words.
    assert Template(template).render(Context(context)) == expected


def test_explorer_says_communes_du_pas_de_calais(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/explorer/", {"level": "EPCI", "within": "DEP:62"}).content.decode()
    text = _text(html)
    assert "intercommunalités du Pas-de-Calais" in text
    assert "de Pas-de-Calais" not in text
    html = client.get("/explorer/", {"level": "COM", "within": "EPCI:246200364"}).content.decode()
    assert "communes de la CA de Lens - Liévin" in _text(html)
    assert "de CA de Lens" not in _text(html)


def test_one_friche_site_is_singular(client) -> None:  # type: ignore[no-untyped-def]
    # Quettreville-sur-Sienne has one site in the demo's Cartofriches extract.
    html = client.get("/territoires/COM:50419/").content.decode()
    section = _text(html.split('id="friches"')[1].split("</section>")[0])
    assert "1 site recensé dans Cartofriches" in section
    assert "1 sites" not in section and "millésime None" not in section


def test_no_page_shows_millesime_none(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/territoires/COM:62498/", "/territoires/EPCI:246200364/", "/territoires/FR/"):
        html = client.get(url).content.decode()
        assert "None" not in _text(html), url
        assert "(s)" not in _text(html), url


def test_every_model_with_a_phrase_for_a_name_has_its_plural(web) -> None:  # type: ignore[no-untyped-def]
    # Django adds an "s" at the end: "réponse à un appel" -> "réponse à un appels".
    for model in apps.get_models():
        if not model.__module__.startswith("observatoire."):
            continue
        meta = model._meta
        name, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
        # Only the French names the code declares (not Django's "action actor" default).
        if " " in name and "verbose_name" in meta.original_attrs:
            assert plural != f"{name}s", f"{model.__name__}: « {plural} »"
    assert str(apps.get_model("exchange", "Answer")._meta.verbose_name_plural) == (
        "réponses à un appel"
    )
