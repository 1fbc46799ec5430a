"""The one way the platform fetches a vendor-supplied URL (VER-4): an SSRF-safe HTTP client.

Every outbound request of a verification run goes through `SafeClient`. It

- accepts only http and https URLs without credentials, and refuses host names that are numeric IP
  addresses in any encoding other than the canonical one (decimal `2130706433`, octal `0177.0.0.1`,
  hexadecimal `0x7f.1`, short `127.1` …), and the `localhost` names;
- resolves the host and refuses it when any address it resolves to is loopback, private, link-local
  (including the cloud metadata address 169.254.169.254), shared/CGNAT (100.64.0.0/10), multicast,
  reserved or unspecified — also when such an IPv4 address hides inside IPv6 (IPv4-mapped `::ffff:…`,
  NAT64 `64:ff9b::…`, 6to4 `2002:…`, Teredo);
- then connects only to the address it checked: the core of that is requests-hardened's IP-filtering
  adapter, which resolves once, checks the address and pins the connection to it (with the original
  host name for TLS SNI and certificate checks), so DNS rebinding between check and connect is harmless;
- follows redirects itself, checking every hop again, and caps time, body size and the number of
  redirects (settings OUTBOUND_TIMEOUT_SECONDS, OUTBOUND_MAX_BYTES, OUTBOUND_MAX_REDIRECTS);
- ignores proxy environment variables and sends no cookies or credentials.

Hosts in the operator setting SANDBOX_ALLOWED_HOSTS (exact host names or IP literals) skip the address
checks, so that a sandbox on an internal network (or the tests' sandbox on 127.0.0.1) can be verified.

Each hop is summarised as evidence: the request, the status, the response headers (cookies redacted)
and a bounded excerpt of the body, with timings.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import idna
import requests
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from urllib3.util import parse_url

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
EXCERPT_CHARS = 2000
MAX_HEADERS = 60
MAX_HEADER_CHARS = 500
REDACTED_HEADERS = {"set-cookie", "authorization", "proxy-authenticate", "www-authenticate"}
USER_AGENT = "Markedsplassen-verifikasjon/1.0"

# IPv6 prefixes that carry an IPv4 address, and networks Python does not count as non-global everywhere.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",  # shared address space (CGNAT)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "5f00::/16",  # segment routing
        "2001:20::/28",  # ORCHIDv2
        "3fff::/20",  # documentation
    )
)
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*$", re.IGNORECASE)
_CANONICAL_IPV4 = re.compile(r"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")

# Why a URL or address is refused: code -> what it means, for messages and evidence.
REFUSALS: dict[str, Promise] = {
    "invalid_url": _("the address is not a valid URL"),
    "scheme": _("only http and https addresses can be fetched"),
    "credentials": _("addresses with a user name or password are not allowed"),
    "no_host": _("the address has no host name"),
    "ip_encoding": _("the host is an IP address written in an unusual encoding"),
    "localhost": _("the host is this machine (localhost)"),
    "loopback": _("the host is a loopback address"),
    "private": _("the host is a private network address"),
    "link_local": _("the host is a link-local address"),
    "metadata": _("the host is the cloud metadata address"),
    "shared": _("the host is in the shared (CGNAT) address space 100.64.0.0/10"),
    "ipv4_mapped": _("the host is an IPv6 address that embeds a forbidden IPv4 address"),
    "multicast": _("the host is a multicast address"),
    "reserved": _("the host is a reserved or non-public address"),
    "unspecified": _("the host is the unspecified address"),
    "resolve": _("the host name could not be resolved"),
    "redirect_downgrade": _("a redirect from HTTPS to plain HTTP was refused"),
    "too_many_redirects": _("there were too many redirects"),
    "too_large": _("the response was larger than the size limit"),
    "timeout": _("the server did not answer in time"),
    "connection": _("the connection failed"),
    "tls": _("the TLS (HTTPS) connection failed"),
}
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class OutboundRefused(Exception):
    """A URL or address the client will not fetch; `code` is a key of REFUSALS."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def description(self) -> Promise:
        return REFUSALS.get(self.code, REFUSALS["invalid_url"])


# Addresses ------------------------------------------------------------------------------------------


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    # IPv4-compatible (deprecated) ::a.b.c.d
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def address_refusal(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `address` must not be contacted (a REFUSALS code), or None when it is a public address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.version == 6:
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return "ipv4_mapped" if address_refusal(embedded) else None
        if getattr(ip, "scope_id", None):
            return "link_local"
    if ip in METADATA_ADDRESSES:
        return "metadata"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "shared"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global or any(ip in net for net in EXTRA_BLOCKED):
        return "reserved"
    return None


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a numeric host means to the C library (inet_aton): 1–4 parts, octal, hex."""
    if not _NUMERIC_HOST.match(host):
        return None
    parts = host.split(".")
    try:
        values = [int(p, 16) if p.lower().startswith("0x") else int(p, 8) if len(p) > 1 and p.startswith("0") else int(p)
                  for p in parts]
    except ValueError:
        return None
    limits = {1: [2**32], 2: [256, 2**24], 3: [256, 256, 2**16], 4: [256, 256, 256, 256]}[len(parts)] if len(parts) <= 4 else None
    if limits is None or any(v >= limit for v, limit in zip(values, limits)):
        return None
    number = 0
    for value, limit in zip(values, limits):
        number = number * limit + value
    return ipaddress.IPv4Address(number)


@dataclass(frozen=True)
class Target:
    """A URL that passed the static checks: scheme, normalised host, port, and whether it is allow-listed."""

    url: str
    scheme: str
    host: str
    port: int
    allow_listed: bool
    literal: str | None = None  # the IP address when the host is one


def allowed_hosts() -> set[str]:
    return {h.strip().lower().strip("[]").rstrip(".") for h in getattr(settings, "SANDBOX_ALLOWED_HOSTS", []) if h.strip()}


def is_allow_listed(url: str) -> bool:
    """True when the URL's host is in the operator's SANDBOX_ALLOWED_HOSTS (plain HTTP is tolerated there)."""
    try:
        return inspect_url(url).allow_listed
    except OutboundRefused:
        return False


def inspect_url(url: str, *, allow: Iterable[str] | None = None) -> Target:
    """Static checks of a URL (no network): scheme, credentials, host form. Raises OutboundRefused."""
    if not isinstance(url, str) or not url or any(c in url for c in "\\\r\n\t\x00 "):
        raise OutboundRefused("invalid_url", str(url)[:200])
    try:
        parsed = parse_url(url)
    except Exception as exc:  # urllib3 raises LocationParseError and friends
        raise OutboundRefused("invalid_url", str(exc)[:200]) from exc
    scheme = (parsed.scheme or "").lower()
    if scheme not in ALLOWED_SCHEMES:
        raise OutboundRefused("scheme", scheme or "none")
    if parsed.auth:
        raise OutboundRefused("credentials")
    host = (parsed.host or "").strip()
    if not host:
        raise OutboundRefused("no_host")
    host = host.strip("[]").rstrip(".").lower()
    if "%" in host:
        # Percent-encoded host names and IPv6 zone ids (fe80::1%eth0) are never a public sandbox.
        raise OutboundRefused("link_local" if ":" in host else "invalid_url", host)
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii").lower()
        except idna.IDNAError as exc:
            raise OutboundRefused("invalid_url", host) from exc
    port = parsed.port or (443 if scheme == "https" else 80)
    allow_list = {h.lower() for h in allow} if allow is not None else allowed_hosts()
    listed = host in allow_list
    literal = None
    if ":" in host:
        try:
            literal = str(ipaddress.IPv6Address(host))
        except ValueError as exc:
            raise OutboundRefused("invalid_url", host) from exc
        listed = listed or literal in allow_list
    else:
        numeric = _inet_aton(host)
        if numeric is not None:
            if not _CANONICAL_IPV4.match(host):
                raise OutboundRefused("ip_encoding", f"{host} = {numeric}")
            literal = str(numeric)
        elif _NUMERIC_HOST.match(host) or re.fullmatch(r"[0-9.x]+", host):
            raise OutboundRefused("invalid_url", host)
    if not listed:
        if host == "localhost" or host.endswith(".localhost"):
            raise OutboundRefused("localhost", host)
        if literal is not None:
            reason = address_refusal(literal)
            if reason:
                raise OutboundRefused(reason, literal)
    return Target(url=url, scheme=scheme, host=host, port=port, allow_listed=listed, literal=literal)


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (patched in tests so that no DNS is needed)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def check_url(url: str, *, resolve_host: bool = True, tolerate_unresolved: bool = False,
              allow: Iterable[str] | None = None) -> Target:
    """Static checks, then (unless allow-listed) every resolved address. Raises OutboundRefused."""
    target = inspect_url(url, allow=allow)
    if target.allow_listed or target.literal is not None or not resolve_host:
        return target
    try:
        addresses = resolve(target.host, target.port)
    except (OSError, UnicodeError) as exc:
        if tolerate_unresolved:
            return target
        raise OutboundRefused("resolve", target.host) from exc
    for address in addresses:
        reason = address_refusal(address.split("%")[0])
        if reason:
            raise OutboundRefused(reason, f"{target.host} → {address}")
    return target


# The transport -----------------------------------------------------------------------------------------


class PinnedAdapter(IPFilterAdapter):
    """requests-hardened's adapter (resolve once, refuse non-public, pin the connection to that address),
    except for operator allow-listed sandbox hosts, which connect normally."""

    def __init__(self, *, is_https: bool, allow: set[str]):
        super().__init__(is_https_proto=is_https, allow_loopback=False)
        self._allow = allow

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host = (parse_url(request.url).host or "").strip("[]").lower()
        if host in self._allow:
            return HTTPAdapter.build_connection_pool_key_attributes(self, request, verify, cert)
        return super().build_connection_pool_key_attributes(request, verify, cert)


def _session(allow: set[str]) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    session.mount("http://", PinnedAdapter(is_https=False, allow=allow))
    session.mount("https://", PinnedAdapter(is_https=True, allow=allow))
    return session


@dataclass
class Fetch:
    """The outcome of one GET, with the hops it took as evidence."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    error_code: str = ""
    error_detail: str = ""
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    network_ms: int = 0

    @property
    def ok(self) -> bool:
        """A final response was received (any status) without refusal or transport error."""
        return not self.error_code and self.status is not None

    @property
    def error(self) -> Promise | str:
        if not self.error_code:
            return ""
        return REFUSALS.get(self.error_code, self.error_code)

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == name), "")

    def json(self) -> Any:
        import json

        return json.loads(self.content.decode("utf-8"))


def _header_summary(headers: Any) -> dict[str, str]:
    summary = {}
    for index, (name, value) in enumerate(headers.items()):
        if index >= MAX_HEADERS:
            summary["…"] = str(_("%(n)s more headers not shown") % {"n": len(headers) - MAX_HEADERS})
            break
        summary[name] = "<redacted>" if name.lower() in REDACTED_HEADERS else str(value)[:MAX_HEADER_CHARS]
    return summary


def _excerpt(body: bytes) -> str:
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    return text[:EXCERPT_CHARS]


class SafeClient:
    """GET vendor URLs safely; every call returns a `Fetch` (never raises for the vendor's faults)."""

    def __init__(
        self,
        *,
        timeout: float | None = None,
        max_bytes: int | None = None,
        max_redirects: int | None = None,
        allow: Iterable[str] | None = None,
        on_request: Callable[[], None] | None = None,
    ):
        self.timeout = float(timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS)
        self.max_bytes = int(max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES)
        self.max_redirects = int(max_redirects if max_redirects is not None else settings.OUTBOUND_MAX_REDIRECTS)
        self.allow = {h.lower() for h in allow} if allow is not None else allowed_hosts()
        self.on_request = on_request  # e.g. the run's heartbeat

    def get(self, url: str, *, accept: str = "*/*") -> Fetch:
        fetch = Fetch(url=url)
        deadline = time.monotonic() + self.timeout
        current = url
        with _session(self.allow) as session:
            for hop in range(self.max_redirects + 1):
                exchange: dict[str, Any] = {"kind": "http", "method": "GET", "url": current, "accept": accept}
                fetch.exchanges.append(exchange)
                try:
                    target = check_url(current, allow=self.allow)
                except OutboundRefused as refusal:
                    return self._fail(fetch, exchange, refusal.code, refusal.detail)
                if hop and fetch.exchanges[-2]["url"].lower().startswith("https:") and target.scheme == "http":
                    return self._fail(fetch, exchange, "redirect_downgrade", current)
                if self.on_request:
                    self.on_request()
                response = self._send(session, fetch, exchange, current, accept, deadline)
                if response is None:
                    return fetch
                if response.status_code in REDIRECT_STATUSES and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    exchange["redirect_to"] = current
                    continue
                fetch.status = response.status_code
                fetch.headers = dict(response.headers)
                return fetch
        exchange = fetch.exchanges[-1]
        return self._fail(fetch, exchange, "too_many_redirects", str(self.max_redirects), keep_status=True)

    def _fail(self, fetch: Fetch, exchange: dict, code: str, detail: str, keep_status: bool = False) -> Fetch:
        fetch.error_code, fetch.error_detail = code, detail
        exchange["error"] = code
        exchange["error_detail"] = detail[:500]
        if not keep_status:
            fetch.status = None
        return fetch

    def _send(self, session, fetch: Fetch, exchange: dict, url: str, accept: str, deadline: float):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self._fail(fetch, exchange, "timeout", f"{self.timeout:g} s")
            return None
        started = time.monotonic()
        headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
        try:
            response = session.get(url, headers=headers, timeout=(min(remaining, self.timeout), min(remaining, self.timeout)),
                                   allow_redirects=False, stream=True)
        except InvalidIPAddress as exc:
            # The adapter's own check at connect time (e.g. DNS changed after our check): refused.
            self._fail(fetch, exchange, address_refusal(str(exc.args[0])) or "private", str(exc.args[0]) if exc.args else "")
            return None
        except requests.exceptions.SSLError as exc:
            self._fail(fetch, exchange, "tls", str(exc)[:300])
            return None
        except requests.exceptions.Timeout as exc:
            self._fail(fetch, exchange, "timeout", str(exc)[:300])
            return None
        except (requests.exceptions.RequestException, OSError, ValueError) as exc:
            self._fail(fetch, exchange, "connection", str(exc)[:300])
            return None
        finally:
            elapsed = int((time.monotonic() - started) * 1000)
            exchange["elapsed_ms"] = elapsed
            fetch.network_ms += elapsed
        with response:
            exchange["status"] = response.status_code
            exchange["reason"] = response.reason or ""
            exchange["headers"] = _header_summary(response.headers)
            body, code = self._read(response, deadline)
            read_ms = int((time.monotonic() - started) * 1000) - exchange["elapsed_ms"]
            exchange["elapsed_ms"] += read_ms
            fetch.network_ms += read_ms
        exchange["body_bytes"] = len(body)
        exchange["body_excerpt"] = _excerpt(body)
        if code:
            exchange["truncated"] = code == "too_large"
            self._fail(fetch, exchange, code, f"{self.max_bytes} bytes" if code == "too_large" else f"{self.timeout:g} s")
            return None
        fetch.content = body
        return response

    def _read(self, response, deadline: float) -> tuple[bytes, str]:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return b"", "too_large"
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(chunk_size=16384):
                size += len(chunk)
                if size > self.max_bytes:
                    chunks.append(chunk[: max(0, self.max_bytes - (size - len(chunk)))])
                    return b"".join(chunks)[: EXCERPT_CHARS * 4], "too_large"
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    return b"".join(chunks)[: EXCERPT_CHARS * 4], "timeout"
        except requests.exceptions.RequestException as exc:
            code = "timeout" if "timed out" in str(exc).lower() else "connection"
            return b"".join(chunks)[: EXCERPT_CHARS * 4], code
        return b"".join(chunks), ""
