"""Portal pages and the open API: public indicators for everyone; the restricted LOVAC
indicator only about the territories of the user's scope (Lens is in the scope of the
CA de Lens-Liévin's users and of the Pas-de-Calais' animateur, Arras is not)."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, SIGNED_IN, Case, expect

LOVAC = "vacance_longue_duree_part"
# Who may read restricted figures about Lens (COM:62498, EPCI:246200364) and Arras.
LENS_READERS = ("admin", "animateur", "contributeur_lens", "lecteur_lens")
ARRAS_READERS = ("admin", "animateur", "lecteur_arras")

CASES = [
    Case("portal:home", "/", expect(EVERYONE)),
    Case("portal:territory", "/territoires/COM:62498/", expect(EVERYONE)),
    Case("portal:territory", "/territoires/EPCI:246200364/?carte=" + LOVAC, expect(EVERYONE)),
    # Peuplement: the page for everyone, each figure under its diffusion (SNE
    # « partenaires »: « accès restreint » for the anonymous, tests/portal/test_peuplement.py);
    # communes and EPCI only.
    Case("portal:peuplement", "/territoires/EPCI:246200364/peuplement/", expect(EVERYONE)),
    Case("portal:peuplement", "/territoires/COM:62498/peuplement/", expect(EVERYONE)),
    Case("portal:peuplement", "/territoires/DEP:62/peuplement/", expect(EVERYONE, ok=404)),
    Case("portal:indicators", "/indicateurs/", expect(EVERYONE)),
    Case("portal:coverage", "/couverture/", expect(EVERYONE)),
    Case("portal:indicator", "/indicateurs/taux_vacance/", expect(EVERYONE)),
    # A restricted indicator's description: any partner with a scope; anonymous: sign in.
    Case("portal:indicator", f"/indicateurs/{LOVAC}/", expect(SIGNED_IN, anonymous=302)),
    Case("portal:explorer", "/explorer/", expect(EVERYONE)),
    Case(
        "portal:explorer",
        f"/explorer/?indicator={LOVAC}&within=EPCI:246200364&level=COM",
        expect(LENS_READERS, anonymous=302),
    ),
    Case(
        "portal:explorer",
        f"/explorer/?indicator={LOVAC}&within=EPCI:200033579&level=COM",
        expect(ARRAS_READERS, anonymous=302),
    ),
    Case("portal:compare", "/comparer/", expect(EVERYONE)),
    Case("portal:accessibility", "/accessibilite/", expect(EVERYONE)),
    Case("portal:legal", "/mentions-legales/", expect(EVERYONE)),
    Case("portal:privacy", "/donnees-personnelles/", expect(EVERYONE)),
    Case("portal:sitemap", "/plan-du-site/", expect(EVERYONE)),
    # Lens and Arras: every signed-in user gets the page, the cells out of scope marked
    # "accès restreint" without their value (tests/portal/test_restricted_cells.py).
    # Open data releases: public data only, for everyone; an unknown release is a 404.
    Case("portal:releases", "/donnees-ouvertes/", expect(EVERYONE)),
    Case(
        "portal:release_file",
        "/donnees-ouvertes/inconnue/donnees.csv",
        expect(EVERYONE, ok=404),
    ),
    Case(
        "portal:compare",
        f"/comparer/?t=COM:62498&t=COM:62041&indicator={LOVAC}",
        expect(SIGNED_IN, anonymous=302),
    ),
    # The comparison's downloads: the same rights as the page.
    Case("portal:compare", "/comparer/?t=COM:62498&t=FR&format=csv", expect(EVERYONE)),
    Case(
        "portal:compare",
        f"/comparer/?t=COM:62498&indicator={LOVAC}&format=xlsx",
        expect(LENS_READERS, anonymous=302),
    ),
    Case(
        "portal:compare",
        f"/comparer/?t=COM:62498&t=COM:62041&indicator={LOVAC}&format=csv",
        expect(SIGNED_IN, anonymous=302),
    ),
    Case("api-v1:api-root", "/api/v1/", expect(EVERYONE, ok=404)),
    Case("api-v1:openapi-json", "/api/v1/openapi.json", expect(EVERYONE)),
    Case("api-v1:openapi-view", "/api/v1/docs", expect(EVERYONE)),
    Case("api-v1:indicators", "/api/v1/indicators", expect(EVERYONE)),
    Case("api-v1:friches", "/api/v1/friches?territory=EPCI:246200364", expect(EVERYONE)),
    Case(
        "api-v1:etablissements",
        "/api/v1/etablissements?territory=EPCI:246200364",
        expect(EVERYONE),
    ),
    Case("api-v1:territories", "/api/v1/territories?q=lens", expect(EVERYONE)),
    Case("api-v1:suggestions", "/api/v1/suggestions?q=62300", expect(EVERYONE)),
    Case("api-v1:territory", "/api/v1/territories/EPCI:246200364", expect(EVERYONE)),
    Case(
        "api-v1:values",
        "/api/v1/values?indicator=taux_vacance&territory=COM:62498",
        expect(EVERYONE),
    ),
    Case(
        "api-v1:values",
        f"/api/v1/values?indicator={LOVAC}&territory=COM:62498",
        expect(LENS_READERS, anonymous=401),
    ),
    Case(
        "api-v1:values",
        f"/api/v1/values?indicator={LOVAC}&territory=EPCI:246200364&format=csv",
        expect(LENS_READERS, anonymous=401),
    ),
    Case(
        "api-v1:values",
        f"/api/v1/values?indicator={LOVAC}&territory=COM:62041",
        expect(ARRAS_READERS, anonymous=401),
    ),
    # The département: only a scope covering all its communes.
    Case(
        "api-v1:values",
        f"/api/v1/values?indicator={LOVAC}&territory=DEP:62",
        expect(("admin", "animateur"), anonymous=401),
    ),
    Case(
        "api-v1:choropleth",
        "/api/v1/map?indicator=taux_vacance&level=COM&within=EPCI:246200364",
        expect(EVERYONE),
    ),
    Case(
        "api-v1:map_values",
        "/api/v1/map/values?indicator=taux_vacance&level=COM&within=EPCI:246200364",
        expect(EVERYONE),
    ),
    Case(
        "api-v1:map_values",
        f"/api/v1/map/values?indicator={LOVAC}&level=COM&within=EPCI:246200364",
        expect(LENS_READERS, anonymous=401),
    ),
    # The fiche is public; what it shows follows the reader's rights
    # (tests/portal/test_fiche_pdf.py).
    Case("publications:fiche", "/publications/fiches/COM:62498.pdf", expect(EVERYONE)),
    Case(
        "api-v1:choropleth",
        f"/api/v1/map?indicator={LOVAC}&level=COM&within=EPCI:246200364",
        expect(LENS_READERS, anonymous=401),
    ),
    Case(
        "api-v1:choropleth",
        f"/api/v1/map?indicator={LOVAC}&level=COM&within=EPCI:246200364&format=xlsx",
        expect(LENS_READERS, anonymous=401),
    ),
    Case(
        "api-v1:choropleth",
        f"/api/v1/map?indicator={LOVAC}&level=EPCI&within=DEP:62&format=geojson",
        expect(("admin", "animateur"), anonymous=401),
    ),
]
