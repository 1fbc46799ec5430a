"""{% fixed_url 'name' arg … %}: the address of a fixed page, reversed once (see marketplace.links)."""

from django import template

from marketplace.links import fixed_url

register = template.Library()
register.simple_tag(fixed_url, name="fixed_url")
