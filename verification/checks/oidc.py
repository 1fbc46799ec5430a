"""Check 7: the OpenID Connect issuer publishes a valid discovery document: the issuer matches and the
jwks_uri is reachable and holds keys (VER-3.7)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..safe_http import is_allow_listed
from . import _fhir
from .base import ERROR, FAIL, PASS, WARN, Check, CheckContext, Outcome, register

REQUIRED_FIELDS = (
    "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported",
    "subject_types_supported", "id_token_signing_alg_values_supported",
)
ACCEPT_JSON = "application/json"


@register
class OidcDiscovery(Check):
    id = "oidc_discovery"
    title = _("OpenID Connect discovery")
    description = _("The OpenID Connect issuer publishes /.well-known/openid-configuration with the required "
                    "fields, the issuer in it matches, and the jwks_uri answers with a key set.")
    order = 70
    uses_network = True

    def run(self, context: CheckContext) -> Outcome:
        issuer = context.product.oidc_issuer
        if not issuer:
            return Outcome(FAIL, _("The product has no OpenID Connect issuer for its sandbox."))
        url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
        fetch = context.fetch(url, accept=ACCEPT_JSON)
        problem = _unusable(fetch, url)
        if problem:
            return problem
        try:
            document = fetch.json()
        except (ValueError, UnicodeDecodeError):
            document = None
        if not isinstance(document, dict):
            return Outcome(FAIL, _("The discovery document at %(url)s is not a JSON object."), {"url": url})
        missing = [name for name in REQUIRED_FIELDS if not document.get(name)]
        if missing:
            context.problems(_("Missing fields"), missing)
            return Outcome(FAIL, _("The discovery document lacks required fields: %(fields)s."),
                           {"fields": ", ".join(missing)})
        remarks = []
        published = str(document["issuer"])
        if published != issuer:
            if published.rstrip("/") != issuer.rstrip("/"):
                return Outcome(FAIL, _("The discovery document names the issuer “%(published)s”, not the registered "
                                       "“%(issuer)s”."), {"published": published, "issuer": issuer})
            remarks.append((_("The issuer differs from the registered one only by a trailing slash."), {}))
        jwks_url = str(document["jwks_uri"])
        jwks = context.fetch(jwks_url, accept=ACCEPT_JSON)
        problem = _unusable(jwks, jwks_url)
        if problem:
            return problem
        try:
            keys = jwks.json().get("keys")
        except (ValueError, UnicodeDecodeError, AttributeError):
            keys = None
        if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) and k.get("kty") for k in keys):
            return Outcome(FAIL, _("The jwks_uri %(url)s does not answer with a JSON Web Key Set (a non-empty list of "
                                   "keys with “kty”)."), {"url": jwks_url})
        plain = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
                 if str(document[name]).startswith("http:") and not is_allow_listed(str(document[name]))]
        if plain:
            remarks.append((_("Endpoints use plain HTTP: %(names)s."), {"names": ", ".join(plain)}))
        if remarks:
            for message, params in remarks:
                context.note(message, params)
            return Outcome(WARN, _("A valid discovery document and key set, with remarks."), {"count": len(keys)})
        return Outcome(PASS, ngettext_lazy("A valid discovery document for %(issuer)s; the key set has %(count)s key.",
                                         "A valid discovery document for %(issuer)s; the key set has %(count)s keys.",
                                         "count"),
                       {"issuer": issuer, "count": len(keys)})


def _unusable(fetch, url: str) -> Outcome | None:
    if not fetch.ok:
        status = ERROR if fetch.error_code in _fhir.TRANSIENT else FAIL
        return Outcome(status, _("GET %(url)s could not be completed: %(reason)s."), {"url": url, "reason": fetch.error})
    if fetch.status != 200:
        return Outcome(FAIL, _("GET %(url)s answered HTTP %(status)s, not 200."), {"url": url, "status": fetch.status})
    return None
