"""Chinese first: a browser set to English still gets Chinese until its user picks English with the switch."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_the_chinese_portal(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in response.content.decode()


def test_the_language_switch_turns_english_on_and_off(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "zh-hans"


def test_an_unknown_cookie_language_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "zh-hans"
