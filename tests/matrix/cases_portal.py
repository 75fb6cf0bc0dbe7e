"""Portal pages and the open API (public diffusion: everyone)."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, Case, expect

CASES = [
    Case("portal:home", "/", expect(EVERYONE)),
    Case("portal:territory", "/territoires/COM:62498/", expect(EVERYONE)),
    Case("portal:indicators", "/indicateurs/", expect(EVERYONE)),
    Case("portal:indicator", "/indicateurs/taux_vacance/", expect(EVERYONE)),
    Case("portal:explorer", "/explorer/", expect(EVERYONE)),
    Case("portal:compare", "/comparer/", expect(EVERYONE)),
    Case("api-v1:api-root", "/api/v1/", expect(EVERYONE, ok=404)),
    Case("api-v1:openapi-json", "/api/v1/openapi.json", expect(EVERYONE)),
    Case("api-v1:openapi-view", "/api/v1/docs", expect(EVERYONE)),
    Case("api-v1:indicators", "/api/v1/indicators", expect(EVERYONE)),
    Case("api-v1:territories", "/api/v1/territories?q=lens", expect(EVERYONE)),
    Case("api-v1:territory", "/api/v1/territories/EPCI:246200364", expect(EVERYONE)),
    Case(
        "api-v1:values",
        "/api/v1/values?indicator=taux_vacance&territory=COM:62498",
        expect(EVERYONE),
    ),
    Case(
        "api-v1:choropleth",
        "/api/v1/map?indicator=taux_vacance&level=COM&within=EPCI:246200364",
        expect(EVERYONE),
    ),
]
