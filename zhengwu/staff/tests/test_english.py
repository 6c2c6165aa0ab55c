import pytest

from zhengwu.staff.tests.conftest import login

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, follow=True)


def test_switching_to_english_shows_the_english_login_page(client, english):
    response = _switch(client, "en", "/staff/login/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Staff sign-in</h1>" in html
    assert '<label for="id_username">Username</label>' in html
    assert 'value="zh-hans"' in html, "and a way back to Chinese"


def test_and_back_to_chinese(client, english):
    _switch(client, "en", "/")
    html = _switch(client, "zh-hans", "/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "办事大厅" in html


def test_english_workspace_and_lockout_message(client, county_admin, english):
    _switch(client, "en", "/staff/login/")
    for _ in range(5):
        response = client.post("/staff/login/", {"username": county_admin.username, "password": "wrong"})
    assert "Too many failed sign-ins" in response.content.decode()


def test_english_workspace_home(client, county_admin, english):
    login(client, county_admin)
    html = _switch(client, "en", "/staff/").content.decode()
    assert "My tasks" in html and "My posts" in html
    assert "Administrator" in html
    assert "Sign out" in html


def test_every_message_in_the_catalogue_is_translated():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    untranslated = []
    for entry in text.split("\n\n")[1:]:
        lines = entry.splitlines()
        first = next((i for i, line in enumerate(lines) if line.startswith("msgstr")), None)
        if first is None:
            continue  # an obsolete (#~) entry: no longer used, nothing to show
        # empty when the first msgstr is "" and no continuation string follows it
        if lines[first].endswith(' ""') and not (first + 1 < len(lines) and lines[first + 1].startswith('"')):
            untranslated.append(entry)
    assert untranslated == []
    assert "#, fuzzy" not in text
