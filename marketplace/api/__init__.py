from . import schema  # noqa: F401  (registers the OpenAPI extensions for our authentication classes)
