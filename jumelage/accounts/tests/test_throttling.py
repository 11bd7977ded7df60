"""The client's address counted by the sign-in lockout and the reset limits."""

from __future__ import annotations

from jumelage.accounts.throttling import client_ip


def test_it_counts_the_connections_address_when_no_proxy_is_trusted(rf, settings):
    settings.BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.5"


def test_behind_the_proxy_it_counts_the_address_the_proxy_added_not_the_clients_claim(rf, settings):
    settings.BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"


def test_a_request_without_a_valid_address_has_none(rf):
    request = rf.get("/")
    request.META["REMOTE_ADDR"] = ""
    assert client_ip(request) is None
    request.META["REMOTE_ADDR"] = "unknown"
    assert client_ip(request) is None
