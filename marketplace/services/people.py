"""A person's own profile."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..models import User

PROFILE_FIELDS = ("first_name", "last_name", "language")


def profile_update(*, actor: User, **fields) -> User:
    """Change my name or language."""
    if "language" in fields and fields["language"] not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    changed = [k for k, v in fields.items() if k in PROFILE_FIELDS and getattr(actor, k) != v]
    for key in changed:
        setattr(actor, key, fields[key])
    if changed:
        actor.save(update_fields=changed)
        audit_record(actor=actor, verb="person.updated", target=actor, data={"fields": changed})
    return actor
