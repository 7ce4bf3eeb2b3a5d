"""The client address: X-Forwarded-For only from trusted proxies, right-most untrusted entry first."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from learnbridge.core.clients import client_address, trusted_networks
from learnbridge.core.settings import Settings

PROXIES = trusted_networks("10.0.0.0/8, 192.0.2.1, 2001:db8::/32")


def test_the_peer_is_the_client_when_no_proxy_is_trusted() -> None:
    assert client_address("203.0.113.5", ["198.51.100.1"], ()) == "203.0.113.5"
    assert client_address("testclient", [], PROXIES) == "testclient"
    assert client_address(None, [], PROXIES) == "unknown"


def test_an_untrusted_peer_cannot_pick_its_address_with_the_header() -> None:
    assert client_address("203.0.113.5", ["10.0.0.9, 198.51.100.1"], PROXIES) == "203.0.113.5"


def test_a_trusted_proxy_names_the_right_most_untrusted_hop() -> None:
    # The client may write anything at the left; the proxies appended what they saw.
    assert client_address("10.0.0.2", ["1.2.3.4, 198.51.100.7, 10.0.0.5"], PROXIES) == "198.51.100.7"
    assert client_address("192.0.2.1", ["1.2.3.4", "198.51.100.7"], PROXIES) == "198.51.100.7"
    assert client_address("10.0.0.2", [" 2001:db8::1 , 2001:0DB9::0001 "], PROXIES) == "2001:db9::1"


def test_a_trusted_proxy_without_the_header_or_with_only_proxies_in_it() -> None:
    assert client_address("10.0.0.2", [], PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", ["10.0.0.3, 10.0.0.4"], PROXIES) == "10.0.0.3"


def test_ipv4_mapped_peers_are_matched_as_ipv4() -> None:
    assert client_address("::ffff:10.0.0.2", ["198.51.100.7"], PROXIES) == "198.51.100.7"


def test_a_malformed_trusted_proxies_setting_fails_at_start_up() -> None:
    assert Settings(trusted_proxies="10.0.0.0/8,::1").trusted_proxies == "10.0.0.0/8,::1"
    with pytest.raises(ValidationError):
        Settings(trusted_proxies="10.0.0.0/8, proxy.example.org")
