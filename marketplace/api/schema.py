"""OpenAPI descriptions of our authentication classes (they extend DRF's session and token auth)."""

from drf_spectacular.authentication import SessionScheme, TokenScheme


class ActingSessionScheme(SessionScheme):
    target_class = "marketplace.api.authentication.SessionAuthentication"


class ActingTokenScheme(TokenScheme):
    target_class = "marketplace.api.authentication.TokenAuthentication"
