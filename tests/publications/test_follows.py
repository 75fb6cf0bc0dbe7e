"""Alerts on data releases (issue #15 §6): a followed value that a build changes produces
a notification (in the app and by e-mail) saying what changed; an unchanged one does not;
a value the follower may not read is never told."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS = Territory.parse("COM:62498")
LOVAC = "vacance_longue_duree_part"  # diffusion restreinte


def _user(name: str, role: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Profile

    user, _ = get_user_model().objects.get_or_create(
        username=f"suivi-{name}", defaults={"email": f"{name}@suivi.test"}
    )
    Profile.objects.update_or_create(user=user, defaults={"role": role, "territories": scope})
    return user


def _as_before(follow: Any, code: str) -> tuple[Any, Any]:
    """Make the follow's last seen value of `code` what the previous build held: the
    previous year of the real series, or nothing when the source has one millésime only
    (its first import); returns (what was seen, the current value)."""
    from observatoire import figures

    series = [v for v in figures.series(code, follow.territory) if v.value is not None]
    now = series[-1]
    if len(series) > 1:
        old = series[-2]
        seen = {"year": old.year, "millesime": old.millesime, "value": old.value}
        seen["formatted"] = old.formatted()
    else:
        seen = {"year": None, "millesime": None, "value": None, "formatted": "non disponible"}
    follow.seen[code] = seen
    follow.save()
    return seen, now


def _alertes(web: Settings) -> str:
    from observatoire.cli import main

    result = CliRunner().invoke(main, ["--data-dir", str(web.data_dir), "publications", "alertes"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_followed_value_that_changes_is_told_once(client, web: Settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from observatoire.publications import follows

    user = _user("lecteur-lens", "lecteur", ["EPCI:246200364"])
    client.force_login(user)
    assert (
        client.post(
            "/publications/suivis/suivre/",
            {"territoire": "COM:62498", "indicateur": "taux_vacance"},
        ).status_code
        == 302
    )
    follow = follows.Follow.objects.get(user=user, territory=LENS, indicator="taux_vacance")
    old, now = _as_before(follow, "taux_vacance")
    assert "1 notification pour 1 utilisateur." in _alertes(web)
    (note,) = follows.Notification.objects.filter(user=user)
    # "Taux de vacance de Lens : 9,1 % → 9,4 %, 2022 (nouveau millésime 2022)"
    expected = f"Taux de vacance de Lens : {old['formatted']} → {now.formatted()}, {now.year}"
    assert note.text.startswith(expected), note.text
    assert "," in now.formatted()  # French decimal comma
    (mail,) = mailoutbox
    assert mail.to == ["lecteur-lens@suivi.test"] and expected in mail.body
    # Told once: the next run after the same build says nothing.
    assert "0 notification pour 0 utilisateur." in _alertes(web)
    page = client.get("/publications/suivis/").content.decode()
    assert "1 non lue" in page and "Taux de vacance de Lens" in page
    client.post("/publications/suivis/notifications/lues/")
    assert follows.unread(user) == 0


def test_an_unchanged_value_is_not_told(client, web: Settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from observatoire.publications import follows

    user = _user("lecteur-lens", "lecteur", ["EPCI:246200364"])
    follows.start(user, LENS)  # the whole territory, as read now
    assert "0 notification" in _alertes(web)
    assert not follows.Notification.objects.filter(user=user).exists()
    assert mailoutbox == []


def test_a_restricted_value_is_never_told(client, web: Settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from observatoire.publications import follows

    # Both follow all of Lens and both "last saw" an older LOVAC figure: only the reader
    # whose scope covers Lens is told; the reader of Arras gets nothing about it.
    lens = _user("lecteur-lens", "lecteur", ["EPCI:246200364"])
    arras = _user("lecteur-arras", "lecteur", ["EPCI:200033579"])
    for user in (lens, arras):
        follow = follows.start(user, LENS)
        assert (LOVAC in follow.seen) == (user is lens)
        _, now = _as_before(follow, LOVAC)
    _alertes(web)
    (note,) = follows.Notification.objects.filter(user=lens)
    assert note.indicator == LOVAC and now.formatted() in note.text
    assert not follows.Notification.objects.filter(user=arras).exists()
    assert [m.to for m in mailoutbox] == [["lecteur-lens@suivi.test"]]
    # Nor is it offered on Lens' portrait to Arras, nor can Arras follow it by name.
    client.force_login(arras)
    html = client.get("/territoires/COM:62498/").content.decode()
    assert 'data-follow="COM:62498/taux_vacance"' in html
    assert f'data-follow="COM:62498/{LOVAC}"' not in html
    response = client.post(
        "/publications/suivis/suivre/", {"territoire": "COM:62498", "indicateur": LOVAC}
    )
    assert response.status_code == 403
    assert not follows.Follow.objects.filter(user=arras, indicator=LOVAC).exists()


def test_portrait_offers_suivre_to_signed_in_users_only(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/COM:62498/").content.decode()
    assert "data-follow=" not in html
    client.force_login(_user("lecteur-lens", "lecteur", ["EPCI:246200364"]))
    html = client.get("/territoires/COM:62498/").content.decode()
    assert 'data-follow="COM:62498"' in html and 'data-follow="COM:62498/taux_vacance"' in html
    response = client.post(
        "/publications/suivis/suivre/",
        {"territoire": "COM:62498", "suite": "/territoires/COM:62498/"},
    )
    assert response.status_code == 302 and response["Location"] == "/territoires/COM:62498/"
    html = client.get("/territoires/COM:62498/").content.decode()
    assert 'data-following="COM:62498"' in html
    page = client.get("/publications/suivis/").content.decode()
    assert "tous les indicateurs" in page
    # A bad territory is a French 400, not a traceback.
    response = client.post("/publications/suivis/suivre/", {"territoire": "COM:00000"})
    assert response.status_code == 400 and "COM:00000" in response.content.decode()
