"""Permission predicates of Verifikasjon (VER-1 … VER-7), shared by views, API, templates and services.

Drafts, frozen versions and runs belong to the vendor; platform administrators see everything; anyone
sees a product, declaration version and run report once that version is the listed one (VER-7).
"""

from __future__ import annotations

import rules

from marketplace.acting import acting_organisation
from marketplace.rules import is_org_admin, is_platform_admin, is_vendor


def _product_of(obj):
    """The product behind a Product, DeclarationVersion, VerificationRun, CheckResult or Listing."""
    from ..models import CheckResult, DeclarationVersion, Listing, Product, VerificationRun

    if isinstance(obj, Product):
        return obj
    if isinstance(obj, (DeclarationVersion, Listing)):
        return obj.product
    if isinstance(obj, VerificationRun):
        return obj.version.product
    if isinstance(obj, CheckResult):
        return obj.run.version.product
    return None


@rules.predicate
def is_product_vendor(user, obj) -> bool:
    """The object belongs to a product of the organisation the person acts for."""
    organisation = acting_organisation(user)
    product = _product_of(obj)
    return organisation is not None and product is not None and product.vendor_id == organisation.pk


@rules.predicate
def is_publicly_listed(user, obj) -> bool:
    """The product has an active listing, or the version (of the run) is the listed one."""
    from ..models import CheckResult, DeclarationVersion, Listing, Product, VerificationRun

    if isinstance(obj, CheckResult):
        obj = obj.run
    if isinstance(obj, VerificationRun):
        obj = obj.version
    if isinstance(obj, DeclarationVersion):
        # The listing service keeps exactly the listed version of an active listing in this state.
        return obj.status == DeclarationVersion.Status.LISTED
    if isinstance(obj, Listing):
        return obj.is_active
    if isinstance(obj, Product):
        try:
            return obj.listing.is_active
        except Listing.DoesNotExist:
            return False
    return False


can_view_product = is_platform_admin | is_product_vendor | is_publicly_listed
can_change_product = is_vendor & is_product_vendor

rules.add_perm("verification.add_product", is_vendor)
rules.add_perm("verification.view_product", can_view_product)
rules.add_perm("verification.change_product", can_change_product)
# Documents of a version (DPIA, ROS …) are downloaded through /dokumenter/<uuid>/, which checks this perm.
rules.add_perm("verification.view_declarationversion", can_view_product)
rules.add_perm("verification.change_declarationversion", can_change_product)
rules.add_perm("verification.submit_declarationversion", can_change_product)
rules.add_perm("verification.start_verificationrun", can_change_product | is_platform_admin)
rules.add_perm("verification.view_verificationrun", can_view_product)
rules.add_perm("verification.review_listing", is_platform_admin)
rules.add_perm("verification.view_listing", can_view_product)
rules.add_perm("verification.withdraw_listing", (can_change_product & is_org_admin) | is_platform_admin)
