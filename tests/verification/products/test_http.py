"""VER-4: the SSRF-safe client refuses every address form a vendor URL can hide a forbidden host in, before
any connection is opened; re-checks redirects; ignores proxies; and the allow-list lets the sandbox in."""

from __future__ import annotations

import socket

import pytest

from verification import safe_http as http
from verification.safe_http import OutboundRefused, SafeClient, check_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_sockets(monkeypatch):
    """Fail the test if anything tries to connect or to resolve a name through DNS."""
    attempts = []

    def refuse_connect(self, address):
        attempts.append(address)
        raise AssertionError(f"a socket was opened to {address}")

    def refuse_create_connection(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"a connection was opened to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket, "create_connection", refuse_create_connection)
    return attempts


@pytest.fixture
def names(monkeypatch):
    """Fake DNS for host names: {name: [addresses]}."""
    table: dict[str, list[str]] = {}

    def fake_resolve(host, port):
        if host not in table:
            raise socket.gaierror(f"unknown host {host}")
        return table[host]

    def fake_getaddrinfo(host, port, *args, **kwargs):
        addresses = table.get(host) or [host]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port or 80) if ":" not in a else (a, port or 80, 0, 0)) for a in addresses]

    monkeypatch.setattr(http, "resolve", fake_resolve)
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    return table


REFUSED = [
    # (url, refusal code)
    ("http://127.0.0.1/metadata", "loopback"),
    ("http://127.8.9.10/", "loopback"),
    ("http://localhost:8000/fhir", "localhost"),
    ("http://LOCALHOST./fhir", "localhost"),
    ("http://sandbox.localhost/", "localhost"),
    ("http://10.0.0.1/fhir", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://169.254.10.20/", "link_local"),
    ("http://100.64.0.1/", "shared"),
    ("http://100.127.255.254/", "shared"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.251/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "reserved"),
    ("http://198.18.0.1/", "private"),
    ("http://[::1]/", "loopback"),
    ("http://[::]/", "unspecified"),
    ("http://[fe80::1]/", "link_local"),
    ("http://[fe80::1%25eth0]/", "link_local"),
    ("http://[fc00::1]/", "private"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://[::ffff:127.0.0.1]/", "ipv4_mapped"),
    ("http://[::ffff:7f00:1]/", "ipv4_mapped"),
    ("http://[::ffff:169.254.169.254]/", "ipv4_mapped"),
    ("http://[::ffff:10.0.0.1]/", "ipv4_mapped"),
    ("http://[64:ff9b::a9fe:a9fe]/", "ipv4_mapped"),  # NAT64 of 169.254.169.254
    ("http://[2002:7f00:1::]/", "ipv4_mapped"),  # 6to4 of 127.0.0.1
    ("http://[::127.0.0.1]/", "ipv4_mapped"),  # IPv4-compatible
    # Numeric hosts the C library reads as IPv4 addresses: refused in every non-canonical spelling.
    ("http://2130706433/", "ip_encoding"),  # decimal 127.0.0.1
    ("http://2852039166/latest/meta-data/", "ip_encoding"),  # decimal 169.254.169.254
    ("http://0177.0.0.1/", "ip_encoding"),  # octal
    ("http://0x7f.0.0.1/", "ip_encoding"),  # hexadecimal
    ("http://0x7f000001/", "ip_encoding"),
    ("http://0xA9FEA9FE/", "ip_encoding"),
    ("http://127.1/", "ip_encoding"),  # short form
    ("http://0177.0x0.1/", "ip_encoding"),  # mixed
    ("http://0/", "ip_encoding"),
    ("http://010.0.0.1/", "ip_encoding"),
    ("http://１２７.０.０.１/", "invalid_url"),  # full-width digits (requests would normalise them to 127.0.0.1)
    ("http://256.1.1.1/", "invalid_url"),
    # Schemes and credentials.
    ("file:///etc/passwd", "scheme"),
    ("FILE://localhost/etc/passwd", "scheme"),
    ("gopher://example.com/", "scheme"),
    ("ftp://example.com/", "scheme"),
    ("dict://example.com:11211/", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("data:text/plain,hi", "scheme"),
    ("http://user:secret@example.com/", "credentials"),
    ("http:///nohost", "no_host"),
    ("http://exa mple.com/", "invalid_url"),
    ("http://example.com\\@127.0.0.1/", "invalid_url"),
]


@pytest.mark.parametrize("url,code", REFUSED)
def test_refused_address_forms(url, code, no_sockets, names, settings):
    settings.SANDBOX_ALLOWED_HOSTS = []
    with pytest.raises(OutboundRefused) as refusal:
        check_url(url)
    assert refusal.value.code == code
    fetch = SafeClient().get(url)
    assert not fetch.ok and fetch.error_code == code
    assert fetch.exchanges[0]["error"] == code
    assert no_sockets == []


@pytest.mark.parametrize("addresses,code", [
    (["10.1.2.3"], "private"),
    (["93.184.216.34", "127.0.0.1"], "loopback"),  # one bad address among good ones is enough
    (["::ffff:169.254.169.254"], "ipv4_mapped"),
    (["169.254.169.254"], "metadata"),
    (["100.100.100.200"], "shared"),  # Alibaba Cloud's metadata service is in the CGNAT range
    (["fe80::1"], "link_local"),
])
def test_host_names_are_refused_by_what_they_resolve_to(addresses, code, no_sockets, names, settings):
    settings.SANDBOX_ALLOWED_HOSTS = []
    names["sandbox.vendor.example"] = addresses
    fetch = SafeClient().get("https://sandbox.vendor.example/fhir/metadata")
    assert fetch.error_code == code
    assert "sandbox.vendor.example" in fetch.error_detail
    assert no_sockets == []


def test_unresolvable_host_is_a_connection_problem_not_a_crash(no_sockets, names, settings):
    settings.SANDBOX_ALLOWED_HOSTS = []
    fetch = SafeClient().get("https://nowhere.invalid/fhir/metadata")
    assert fetch.error_code == "resolve"
    assert no_sockets == []


def test_rebinding_between_check_and_connect_is_caught_by_the_pinning_adapter(no_sockets, names, monkeypatch, settings):
    """Our check sees a public address; at connect time DNS answers 127.0.0.1: requests-hardened refuses it."""
    settings.SANDBOX_ALLOWED_HOSTS = []
    monkeypatch.setattr(http, "resolve", lambda host, port: ["93.184.216.34"])
    names["rebind.vendor.example"] = ["127.0.0.1"]
    fetch = SafeClient().get("http://rebind.vendor.example/fhir/metadata")
    assert fetch.error_code == "loopback"
    assert no_sockets == []


def test_public_addresses_and_idn_hosts_pass_the_static_checks(no_sockets, names, settings):
    settings.SANDBOX_ALLOWED_HOSTS = []
    names["xn--blbr-roah.no"] = ["93.184.216.34"]
    assert check_url("https://93.184.216.34/fhir").literal == "93.184.216.34"
    assert check_url("https://[2606:4700:4700::1111]/").literal == "2606:4700:4700::1111"
    assert check_url("https://blåbær.no/fhir").host == "xn--blbr-roah.no"
    assert no_sockets == []


def test_operator_allow_list_admits_a_sandbox_host(settings, sandbox):
    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    assert check_url(sandbox.fhir()).allow_listed
    fetch = SafeClient().get(sandbox.fhir() + "/metadata")
    assert fetch.ok and fetch.status == 200
    settings.SANDBOX_ALLOWED_HOSTS = []
    assert SafeClient().get(sandbox.fhir() + "/metadata").error_code == "loopback"


def test_allow_list_does_not_extend_to_other_names_for_the_same_host(settings, sandbox, no_sockets):
    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    port = sandbox.base.rsplit(":", 1)[1]
    for url in (f"http://localhost:{port}/ok/fhir/metadata", f"http://2130706433:{port}/ok/fhir/metadata",
                f"http://[::1]:{port}/ok/fhir/metadata"):
        assert SafeClient().get(url).error_code in {"localhost", "ip_encoding", "loopback"}
    assert no_sockets == []


def test_redirects_are_checked_again_and_capped(sandbox):
    fetch = SafeClient().get(sandbox.fhir("redirect-private") + "/metadata")
    assert [e.get("status") for e in fetch.exchanges] == [302, None], fetch.exchanges
    assert [e.get("status") for e in fetch.exchanges] == [302, None]
    assert fetch.exchanges[1]["url"] == "http://169.254.169.254/latest/meta-data/"
    assert fetch.error_code == "metadata"
    followed = SafeClient().get(sandbox.fhir("redirect-ok") + "/metadata")
    assert followed.ok and followed.status == 200 and len(followed.exchanges) == 2
    capped = SafeClient(max_redirects=0).get(sandbox.fhir("redirect-ok") + "/metadata")
    assert capped.error_code == "too_many_redirects"


def test_proxy_environment_is_ignored(sandbox, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("http_proxy", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fetch = SafeClient(timeout=1).get(sandbox.fhir() + "/metadata")
    assert fetch.ok and fetch.status == 200


def test_time_and_size_are_capped(sandbox):
    slow = SafeClient(timeout=0.5).get(sandbox.fhir("hang") + "/metadata")
    assert slow.error_code == "timeout" and slow.network_ms < 2000
    large = SafeClient(max_bytes=10_000).get(sandbox.fhir("huge-stream") + "/metadata")
    assert large.error_code == "too_large" and large.exchanges[0]["body_bytes"] <= 10_000


def test_evidence_redacts_cookies_and_bounds_the_excerpt(sandbox):
    fetch = SafeClient().get(sandbox.fhir() + "/Patient?_count=10")
    exchange = fetch.exchanges[0]
    assert exchange["status"] == 200 and exchange["method"] == "GET"
    assert len(exchange["body_excerpt"]) <= http.EXCERPT_CHARS
    summary = http._header_summary({"Set-Cookie": "session=secret", "X-Other": "x" * 1000})
    assert summary["Set-Cookie"] == "<redacted>" and len(summary["X-Other"]) == http.MAX_HEADER_CHARS
