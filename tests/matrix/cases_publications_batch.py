"""The animateur's batch page of fiches territoire: admins and animateurs in scope (the
matrix animateur's scope is the Pas-de-Calais); tests/publications/test_batch_page.py
runs a job. No case here starts one: the POST names a commune, refused (400) to those
allowed and 403 to the others."""

from __future__ import annotations

from tests.matrix.cases import Case, expect

LOTS = "/publications/lots/"
LENS = f"{LOTS}EPCI:246200364/"
ALLOWED = ("admin", "animateur")

CASES = [
    Case("publications:batches", LOTS, expect(ALLOWED, anonymous=302)),
    Case(
        "publications:batches",
        LOTS,
        expect(ALLOWED, ok=400, anonymous=302),
        method="POST",
        data={"territoire": "COM:62498"},
    ),
    Case("publications:batch", LENS, expect(ALLOWED, anonymous=302)),
    Case("publications:batch_status", f"{LENS}etat.json", expect(ALLOWED, anonymous=302)),
    # No job run for the CA: nothing to download, once allowed.
    Case("publications:batch_zip", f"{LENS}fiches.zip", expect(ALLOWED, ok=404, anonymous=302)),
]
