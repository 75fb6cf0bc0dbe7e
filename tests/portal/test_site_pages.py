"""The footer's mandatory pages (accessibilité, mentions légales, données personnelles,
plan du site), public; the plan du site generated from the header's menu; the status
explanations on hover/focus (DSFR tooltips) and in the catalog."""

from __future__ import annotations

import re

from observatoire.status import EXPLANATIONS

FOOTER = {
    "/plan-du-site/": "Plan du site",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
}


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def test_footer_links_the_mandatory_pages_which_are_public(client) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/").content.decode()
    footer = home.split('id="footer"')[1]
    for url, title in FOOTER.items():
        assert f'href="{url}"' in footer, url
        response = client.get(url)  # anonymous
        assert response.status_code == 200, url
        assert f"<h1>{title}</h1>" in response.content.decode()
    assert "Accessibilité : partiellement conforme" in footer


def test_accessibility_statement_is_honest(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/accessibilite/").content.decode()
    assert "<strong>partiellement conforme</strong>" in html
    assert '<time datetime="2026-12-05">5 décembre 2026</time>' in html
    assert "Aucun audit RGAA complet" in html


def test_sitemap_lists_the_header_menu_and_every_link_answers(client) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/").content.decode()
    menu = _hrefs(home.split('id="header-navigation"')[1].split("</nav>")[0])
    from observatoire.portal.views_legal import MENU

    assert "/explorer/" in menu and "/plans/" in menu and len(menu) == len(MENU)
    plan = client.get("/plan-du-site/").content.decode()
    listed = _hrefs(plan.split('id="plan-du-site"')[1].split("</nav>")[0])
    assert listed == [*menu, *FOOTER]
    for url in listed:
        assert client.get(url).status_code in (200, 302), url


def test_status_badges_explain_themselves_on_focus(client) -> None:  # type: ignore[no-untyped-def]
    # Bénifontaine (62107): the DVF mean price of 2024 is secret.
    html = client.get("/territoires/COM:62107/").content.decode()
    buttons = re.findall(
        r'<button class="fr-btn--tooltip fr-btn" type="button" id="(statut-\d+)" '
        r'aria-describedby="(statut-\d+-aide)">Que signifie « secret statistique » \?</button>',
        html,
    )
    assert buttons
    for _, tip in buttons:
        tooltip = re.search(
            rf'<span class="fr-tooltip fr-placement" id="{tip}" role="tooltip"[^>]*>([^<]+)</span>',
            html,
        )
        assert tooltip is not None
        assert tooltip.group(1) == "Secret statistique : valeur non diffusée"


def test_catalog_explains_every_status(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/indicateurs/").content.decode()
    listed = html.split('id="statuts-liste"')[1].split("</dl>")[0]
    for status, explanation in EXPLANATIONS.items():
        assert f'data-status="{status}"' in listed
        assert explanation[:1].upper() + explanation[1:] in listed
