"""Template tags for the shared product-declaration display."""

from django import template

from ..declaration import declaration_sections as build_sections

register = template.Library()


@register.simple_tag
def declaration_sections(declaration):
    """{% declaration_sections declaration as sections %}"""
    return build_sections(declaration)


@register.filter
def get_field(form, name):
    """{{ form|get_field:"section__field" }} — a bound field by name."""
    return form[name]
