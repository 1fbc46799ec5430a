"""django-allauth adapters: our user model has no username, and a person's language follows them."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (get_language() or "nb")[:2] if (get_language() or "nb")[:2] in ("nb", "en") else "nb"
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect providers (ID-porten, HelseID, Feide) sign people in; organisations still invite them."""
