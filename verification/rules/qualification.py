"""Who may do what in Kvalifisering (QUA-1 … QUA-6); used by services, screens, API and templates alike."""

from __future__ import annotations

import rules

from marketplace.acting import acting_organisation
from marketplace.rules import is_org_admin, is_platform_admin, is_vendor


def _organisation_of(obj):
    """The vendor organisation an application, answer or qualification belongs to."""
    if obj is None:
        return None
    if hasattr(obj, "application_id") and not hasattr(obj, "organisation_id"):
        obj = obj.application
    return getattr(obj, "organisation", None)


@rules.predicate
def is_own_application(user, obj) -> bool:
    """The object belongs to the organisation the person acts for."""
    organisation = _organisation_of(obj)
    return organisation is not None and acting_organisation(user) == organisation


@rules.predicate
def is_published_criterion_set(user, criterion_set) -> bool:
    return criterion_set is not None and not criterion_set.is_draft


can_apply_for_qualification = is_vendor & is_org_admin
can_view_application = is_platform_admin | is_own_application
can_change_application = is_own_application & is_vendor & is_org_admin
can_review_application = is_platform_admin
can_manage_criteria = is_platform_admin

rules.add_perm("verification.apply_qualification", can_apply_for_qualification)
rules.add_perm("verification.view_qualificationapplication", can_view_application)
# Evidence documents are downloaded through /dokumenter/<uuid>/, which checks this perm on the answer.
rules.add_perm("verification.view_qualificationanswer", can_view_application)
rules.add_perm("verification.change_qualificationapplication", can_change_application)
rules.add_perm("verification.review_qualificationapplication", can_review_application)
rules.add_perm("verification.manage_criteria", can_manage_criteria)
rules.add_perm("verification.view_criterionset", is_published_criterion_set | can_manage_criteria)
rules.add_perm("verification.revoke_qualification", is_platform_admin)
