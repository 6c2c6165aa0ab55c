"""Behind nginx the lockout and rate limits must count the real client, not the proxy."""

from django.test import RequestFactory, override_settings

from zhengwu.core.http import client_address

rf = RequestFactory()


def test_without_trusted_proxies_the_socket_address_counts_and_forwarded_headers_are_ignored():
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_appended_counts():
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    with override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1}):
        # The client may forge the first entry; only the last one was written by our nginx.
        assert client_address(request) == "203.0.113.9"
