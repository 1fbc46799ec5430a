"""Input serializers in thin API actions: validate the request body, hand the data to a service."""

from __future__ import annotations

from rest_framework import serializers


def validated_input(serializer_class: type[serializers.Serializer], request, *, partial: bool = False) -> dict:
    """The request's validated data; a 400 with field-level messages when it is not valid."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
