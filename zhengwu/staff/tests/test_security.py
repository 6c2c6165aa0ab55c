import importlib
import sys

import pytest

from zhengwu.staff.tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/staff/login/", "/staff/"])
def test_pages_carry_the_security_headers(client, county_admin, url):
    login(client, county_admin)
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script_the_csp_would_block(client, county_admin):
    login(client, county_admin)
    for url in ["/", "/staff/login/", "/staff/", "/staff/orgs/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " on" + "click=" not in html


def test_production_settings_make_cookies_secure(monkeypatch, tmp_path):
    # given the environment a production deployment sets
    monkeypatch.setenv("ZHENGWU_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ZHENGWU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ZHENGWU_ALLOWED_HOSTS", "zw.example.gov.cn")
    # (fresh modules, so the environment above is what they read; the originals are put back after)
    for name in ("config.settings.production", "config.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    # when the module is imported
    prod = importlib.import_module("config.settings.production")
    # then cookies only travel over HTTPS, HTTP is redirected and HSTS is on
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE is True
    assert prod.CSRF_COOKIE_SECURE is True
    assert prod.SESSION_COOKIE_HTTPONLY is True
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.ALLOWED_HOSTS == ["zw.example.gov.cn"]
