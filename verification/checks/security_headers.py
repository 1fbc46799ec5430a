"""Check 8: HTTPS is used and the application URL sends the expected security headers (HSTS,
Content-Security-Policy, X-Content-Type-Options) (VER-3.8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..safe_http import is_allow_listed
from . import _fhir
from .base import ERROR, FAIL, PASS, WARN, Check, CheckContext, Outcome, localize, register


@register
class HttpsAndSecurityHeaders(Check):
    id = "https_security_headers"
    title = _("HTTPS and security headers")
    description = _("The sandbox endpoints use HTTPS, and the application URL sends Strict-Transport-Security, "
                    "Content-Security-Policy and X-Content-Type-Options: nosniff.")
    order = 80
    uses_network = True

    def run(self, context: CheckContext) -> Outcome:
        product = context.product
        app_url = product.app_url
        if not app_url:
            return Outcome(FAIL, _("The product has no application URL for its sandbox."))
        failures, remarks = [], []
        endpoints = [(_("The application URL"), app_url), (_("The FHIR base URL"), product.fhir_base_url),
                     (_("The OpenID Connect issuer"), product.oidc_issuer)]
        for name, url in endpoints:
            if url and not url.lower().startswith("https:"):
                if is_allow_listed(url):
                    remarks.append(localize(_("%(name)s uses plain HTTP (tolerated: the host is an operator "
                                              "allow-listed sandbox)."), {"name": name}))
                else:
                    failures.append(localize(_("%(name)s does not use HTTPS: %(url)s"), {"name": name, "url": url}))
        fetch = context.fetch(app_url, accept="text/html,*/*;q=0.8")
        if not fetch.ok:
            status = ERROR if fetch.error_code in _fhir.TRANSIENT else FAIL
            return Outcome(status, _("GET %(url)s could not be completed: %(reason)s."), {"url": app_url, "reason": fetch.error})
        final_https = fetch.exchanges[-1]["url"].lower().startswith("https:")
        hsts = fetch.header("Strict-Transport-Security")
        if not hsts:
            if final_https:
                failures.append(localize(_("Strict-Transport-Security is missing.")))
            else:
                remarks.append(localize(_("Strict-Transport-Security is missing (it only takes effect over HTTPS).")))
        elif "max-age=" not in hsts.lower():
            failures.append(localize(_("Strict-Transport-Security has no max-age.")))
        if not fetch.header("Content-Security-Policy"):
            failures.append(localize(_("Content-Security-Policy is missing.")))
        if fetch.header("X-Content-Type-Options").strip().lower() != "nosniff":
            failures.append(localize(_("X-Content-Type-Options is not “nosniff”.")))
        context.evidence.append({"kind": "headers", "rows": {
            "Strict-Transport-Security": hsts, "Content-Security-Policy": fetch.header("Content-Security-Policy"),
            "X-Content-Type-Options": fetch.header("X-Content-Type-Options")}})
        if failures:
            context.problems(_("Problems"), failures)
        if remarks:
            context.problems(_("Remarks"), remarks)
        if failures:
            return Outcome(FAIL, ngettext_lazy("%(count)s HTTPS or security-header requirement is not met.",
                                         "%(count)s HTTPS or security-header requirements are not met.", "count"), {"count": len(failures)})
        if remarks:
            return Outcome(WARN, ngettext_lazy("The security headers are present, with %(count)s remark.",
                                         "The security headers are present, with %(count)s remarks.", "count"), {"count": len(remarks)})
        return Outcome(PASS, _("HTTPS is used and the security headers are present."))
