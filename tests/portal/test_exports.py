"""Downloads of the open API (format=csv|xlsx|geojson) on the real demo data."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl

LENS = "EPCI:246200364"
MAP = {"indicator": "taux_vacance", "level": "COM", "within": LENS}
HEADER = [
    "code",
    "nom",
    "niveau",
    "indicateur",
    "annee",
    "valeur",
    "unite",
    "statut",
    "source",
    "millesime",
    "millesime_cog",
    "note",
]


def _download(client, path: str, params: dict[str, Any], name: str):  # type: ignore[no-untyped-def]
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    return response


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))


def test_map_csv_of_lens_lievin(client) -> None:  # type: ignore[no-untyped-def]
    name = "taux_vacance_communes_EPCI-246200364_2021.csv"
    response = _download(client, "/api/v1/map", {**MAP, "format": "csv"}, name)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == ";".join(HEADER) and len(lines) == 37
    rows = [dict(zip(HEADER, r, strict=True)) for r in _csv(response.content)[1:]]
    lens = next(r for r in rows if r["code"] == "62498")
    assert lens["nom"] == "Lens" and lens["niveau"] == "COM" and lens["annee"] == "2021"
    assert lens["unite"] == "%" and lens["statut"] == "ok" and lens["millesime"] == "2021"
    expected = client.get("/api/v1/values", {"indicator": "taux_vacance", "territory": "COM:62498"})
    assert float(lens["valeur"]) == expected.json()["values"][0]["value"]
    assert "," not in lens["valeur"] and "." in lens["valeur"]  # decimal point
    assert "Liévin" in {r["nom"] for r in rows}  # UTF-8, not escaped


def test_exports_carry_the_cog_of_the_source_codes(client) -> None:  # type: ignore[no-untyped-def]
    # The demo's base-cc-logement-2021 is on the geography of 1 January 2024: it holds none
    # of the communes merged on that day (sources/insee_rp.py).
    name = "taux_vacance_communes_EPCI-246200364_2021.csv"
    rows = _csv(_download(client, "/api/v1/map", {**MAP, "format": "csv"}, name).content)
    assert {r[HEADER.index("millesime_cog")] for r in rows[1:]} == {"2024"}
    book = openpyxl.load_workbook(
        io.BytesIO(
            _download(
                client, "/api/v1/map", {**MAP, "format": "xlsx"}, name.replace(".csv", ".xlsx")
            ).content
        )
    )
    data = list(book["Données"].iter_rows(min_row=2, values_only=True))
    assert {r[HEADER.index("millesime_cog")] for r in data} == {2024}
    meta = {r[0]: r[1] for r in book["Métadonnées"].iter_rows(values_only=True)}
    assert meta["Millésime du COG"].startswith("géographie au 1er janvier 2024")
    # The values endpoint: the France total says what it leaves out, in the file too.
    params = {"indicator": "taux_vacance", "territory": "FR", "format": "csv"}
    france = _csv(_download(client, "/api/v1/values", params, "taux_vacance_FR.csv").content)
    assert france[1][HEADER.index("millesime_cog")] == "2024"
    assert france[1][HEADER.index("note")] == "France hors Mayotte (non couverts par la source)"
    body = client.get("/api/v1/values", {"indicator": "taux_vacance", "territory": "FR"}).json()
    assert body["values"][0]["source"]["geo_vintage"] == 2024


def test_csv_keeps_leading_zeros_without_contours(client) -> None:  # type: ignore[no-untyped-def]
    # Ain: no commune contour shipped, but the table needs none.
    params = {"indicator": "taux_vacance", "level": "COM", "within": "DEP:01", "format": "csv"}
    name = "taux_vacance_communes_DEP-01_2021.csv"
    rows = _csv(_download(client, "/api/v1/map", params, name).content)
    assert rows[1][0] == "01001" and rows[1][1] == "L'Abergement-Clémenciat"
    assert all(len(r[0]) == 5 for r in rows[1:])


def test_secret_values_exported_empty_with_status(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "dvf_prix_m2_moyen", "level": "COM", "within": LENS, "year": 2023}
    name = "dvf_prix_m2_moyen_communes_EPCI-246200364_2023.csv"
    rows = {
        r[0]: r
        for r in _csv(_download(client, "/api/v1/map", {**params, "format": "csv"}, name).content)
    }
    assert rows["62793"][5] == "" and rows["62793"][7] == "secret"  # Servins: 3 sales
    name = name.replace(".csv", ".xlsx")
    book = openpyxl.load_workbook(
        io.BytesIO(_download(client, "/api/v1/map", {**params, "format": "xlsx"}, name).content)
    )
    sheet = book["Données"]
    servins = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "62793")
    assert servins[5] is None and servins[7] == "secret"


def test_map_xlsx(client) -> None:  # type: ignore[no-untyped-def]
    name = "taux_vacance_communes_EPCI-246200364_2021.xlsx"
    response = _download(client, "/api/v1/map", {**MAP, "format": "xlsx"}, name)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Données", "Métadonnées"]
    sheet = book["Données"]
    assert [c.value for c in sheet[1]] == HEADER
    data = list(sheet.iter_rows(min_row=2))
    assert len(data) == 36
    assert all(r[0].data_type == "s" and len(r[0].value) == 5 for r in data)  # codes as text
    assert all(isinstance(r[5].value, float) for r in data)  # values as numbers
    meta = {r[0]: r[1] for r in book["Métadonnées"].iter_rows(values_only=True)}
    assert "logements vacants" in meta["Définition"]
    assert "Recensement" in meta["Source"] and meta["Millésime"] == "2021"
    assert meta["Territoire"] == f"CA de Lens - Liévin ({LENS})"
    assert len(meta["Date d'export"]) == 10 and "secret" in meta["Secret statistique"]


def test_map_geojson_download(client) -> None:  # type: ignore[no-untyped-def]
    name = "taux_vacance_communes_EPCI-246200364_2021.geojson"
    response = _download(client, "/api/v1/map", {**MAP, "format": "geojson"}, name)
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 36
    assert body == client.get("/api/v1/map", MAP).json()


def test_values_csv_and_xlsx(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "lls_nombre", "territory": LENS}
    rows = _csv(
        _download(
            client, "/api/v1/values", {**params, "format": "csv"}, "lls_nombre_EPCI-246200364.csv"
        ).content
    )
    assert rows[0] == HEADER
    by_year = {r[4]: r for r in rows[1:]}
    assert by_year["2024"][5] == "47894" and by_year["2019"][5] == "48154"  # no "47894.0"
    assert by_year["2024"][0] == "246200364" and by_year["2024"][9] == "2024"
    name = "lls_nombre_EPCI-246200364_2024.xlsx"
    response = _download(client, "/api/v1/values", {**params, "year": 2024, "format": "xlsx"}, name)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Données"]
    assert [c.value for c in sheet[2]][:6] == [
        "246200364",
        "CA de Lens - Liévin",
        "EPCI",
        "lls_nombre",
        2024,
        47894,
    ]
    bad = client.get("/api/v1/values", {**params, "format": "geojson"})
    assert bad.status_code == 400 and "format" in bad.json()["erreur"]


def test_restricted_exports_refused(client, restricted) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("csv", "xlsx"):
        response = client.get(
            "/api/v1/values", {"indicator": restricted, "territory": "COM:62498", "format": fmt}
        )
        assert response.status_code == 401 and "Content-Disposition" not in response
        assert "62498" not in response.content.decode()


def test_spreadsheet_csv_next_to_the_data_gouv_convention(client) -> None:  # type: ignore[no-untyped-def]
    # format=tableur: what a French Excel or LibreOffice opens with a double click.
    name = "taux_vacance_communes_EPCI-246200364_2021_tableur.csv"
    raw = _download(client, "/api/v1/map", {**MAP, "format": "tableur"}, name).content
    assert raw.startswith(b"\xef\xbb\xbfcode;nom;niveau;")  # UTF-8 byte order mark, `;`
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER
    by_code = {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    lens = by_code["62498"]
    assert lens["nom"] == "Lens" and "," in lens["valeur"] and "." not in lens["valeur"]
    # The same figure as the data.gouv.fr CSV, with a decimal comma.
    plain = _download(
        client, "/api/v1/map", {**MAP, "format": "csv"}, name.replace("_tableur", "")
    ).content
    assert not plain.startswith(b"\xef\xbb\xbf")
    plain_rows = {r[0]: r for r in _csv(plain)[1:]}
    assert plain_rows["62498"][5].replace(".", ",") == lens["valeur"]
    # Accents survive: a name with one is read back as written.
    assert any("é" in r["nom"] or "è" in r["nom"] for r in by_code.values())
