"""The animateurs' publication pages (issue #15 §3, §4): the annual report and « Les 5
minutes de l'observatoire » of a territory, for admins and animateurs in scope only. The
POST cases send an unknown format: allowed roles get the French 400, without generating."""

from __future__ import annotations

from tests.matrix.cases import Case, expect

ANIMATEURS = ("admin", "animateur")
REPORT = "/publications/rapports/EPCI:246200364/"
DECK = "/publications/cinq-minutes/EPCI:246200364/"

CASES = [
    Case("publications:report", REPORT, expect(ANIMATEURS, anonymous=302)),
    Case(
        "publications:report",
        REPORT,
        expect(ANIMATEURS, ok=400, anonymous=302),
        method="POST",
        data={"year": "2020", "edition": "public", "format": "odt"},
    ),
    Case("publications:deck", DECK, expect(ANIMATEURS, anonymous=302)),
    Case(
        "publications:deck",
        DECK,
        expect(ANIMATEURS, ok=400, anonymous=302),
        method="POST",
        data={"themes": ["Vacance"], "format": "key"},
    ),
]
