"""`observatoire user create` as a script runs it: the API key alone on the last line,
usable at once with `Authorization: Token <key>`; revoked, it stops working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings

LOVAC = "/api/v1/values?indicator=vacance_longue_duree_part&territory="


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OBSERVATOIRE_DATA_DIR"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "observatoire"), "--data-dir", str(data_dir), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


# The script commits its rows in its own process: alone, after the parallel pass.
@pytest.mark.serial
def test_cli_create_prints_a_working_token_on_the_last_line(web: Settings) -> None:
    from observatoire.accounts.models import ApiToken, Organisation, Profile

    email = unique("script")
    organisation = f"Commune de test {email}"
    done = _cli(
        web.data_dir,
        "user",
        "create",
        "--email",
        email,
        "--organisation",
        organisation,
        "--role",
        "lecteur",
        "--territory",
        "EPCI:246200364",
        "--kind",
        "commune",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    key = done.stdout.splitlines()[-1]
    assert key.strip() == key and " " not in key and len(key) >= 40
    assert "Compte créé" in done.stdout and key not in done.stdout.splitlines()[0]

    profile = Profile.objects.get(user__username=email)
    assert profile.role == "lecteur" and [t.id for t in profile.territories] == ["EPCI:246200364"]
    assert Organisation.objects.get(name=organisation).kind == "commune"
    token = ApiToken.objects.get(user__username=email)
    assert token.digest == ApiToken.hash(key) and token.last_used is None  # only the hash

    c = Client(headers={"Authorization": f"Token {key}"})
    assert c.get(LOVAC + "COM:62498").status_code == 200
    assert c.get(LOVAC + "COM:62041").status_code == 403
    token.refresh_from_db()
    assert token.last_used is not None

    token.delete()
    response = c.get(LOVAC + "COM:62498")
    assert response.status_code == 401 and "révoqué" in response.json()["erreur"]


# The script commits its rows in its own process: alone, after the parallel pass.
@pytest.mark.serial
def test_cli_create_twice_updates_the_account(web: Settings) -> None:
    from observatoire.accounts.models import Profile

    email = unique("deux-fois")
    base = ["user", "create", "--email", email, "--organisation", "CU d'Arras"]
    first = _cli(web.data_dir, *base, "--role", "lecteur", "--territory", "EPCI:200033579")
    second = _cli(
        web.data_dir,
        *base,
        "--role",
        "contributeur",
        "--territory",
        "EPCI:200033579",
        "--territory",
        "COM:62498",
    )
    assert first.returncode == second.returncode == 0, second.stderr
    assert "Compte mis à jour" in second.stdout
    assert first.stdout.splitlines()[-1] != second.stdout.splitlines()[-1]
    profile = Profile.objects.get(user__username=email)
    assert profile.role == "contributeur"
    assert [t.id for t in profile.territories] == ["EPCI:200033579", "COM:62498"]


# The script commits its rows in its own process: alone, after the parallel pass.
@pytest.mark.serial
def test_cli_refuses_bad_input_in_french(web: Settings) -> None:
    base = ["user", "create", "--email", unique("refus"), "--organisation", "X"]
    done = _cli(web.data_dir, *base, "--role", "lecteur", "--territory", "EPCI:999999999")
    assert done.returncode == 2 and "EPCI:999999999" in done.stderr and "inconnu" in done.stderr
    assert "Traceback" not in done.stderr
    done = _cli(web.data_dir, *base, "--role", "lecteur")
    assert done.returncode == 2 and "au moins un territoire" in done.stderr
    done = _cli(web.data_dir, *base, "--role", "chef", "--territory", "DEP:62")
    assert done.returncode == 2
    bad = _cli(web.data_dir, "user", "create", "--email", "pas-une-adresse", "--organisation", "X")
    assert bad.returncode == 2
    done = _cli(
        web.data_dir,
        "user",
        "create",
        "--email",
        "pas-une-adresse",
        "--organisation",
        "X",
        "--role",
        "admin",
    )
    assert done.returncode == 2 and "invalide" in done.stderr


def test_profile_page_creates_and_revokes_tokens(web: Settings) -> None:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import ApiToken

    user = get_user_model().objects.create_user(unique("page-jetons"))
    c = Client()
    c.force_login(user)
    response = c.post("/compte/jetons/", {"label": "tableur"}, follow=True)
    html = response.content.decode()
    key = html.split('<code id="cle">')[1].split("</code>")[0]
    assert "copiez sa clé maintenant" in html and "tableur" in html
    assert key not in c.get("/compte/").content.decode()  # shown once
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get("/api/v1/indicators").status_code == 200
    token = ApiToken.objects.get(user=user)
    c.post(f"/compte/jetons/{token.pk}/revoquer/")
    assert not ApiToken.objects.filter(user=user).exists()
    assert api.get("/api/v1/indicators").status_code == 401
