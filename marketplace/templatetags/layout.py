"""The site layout's tags (templates/base.html), written for a layout that is part of every page.

`{% fixed %} … {% endfixed %}` holds a part of a template that reads nothing from the page or the
visitor: text, `{% translate %}` of a literal, `{% static %}` and `{% fixed_url %}` of literals. It is
rendered once per language, script prefix and URL configuration, and then written out as the text it
gave. The layout's head (a dozen static addresses), logo and footer are some forty such nodes, each
costing 10–20 µs on every page; Butikken must answer in a few milliseconds (STO-1 … STO-4). Anything that
depends on the page inside the block would be frozen for everyone, so the block refuses, when the template
is compiled, any other node or a variable argument.

`{% menu_items main_menu %}` writes the main menu's items (the `main_menu` of the context processor) in
Python: eight items of four nodes each were the layout's largest loop."""

from __future__ import annotations

from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import TextNode, Variable
from django.template.library import SimpleNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..links import fixed_url

register = template.Library()

# Bumped by every setting change (tests override STATIC_URL, ROOT_URLCONF, LANGUAGES …): what a block rendered
# before may no longer be what it would render now.
_settings_epoch = [0]


@receiver(setting_changed)
def _forget_on_setting_change(**_kwargs) -> None:
    _settings_epoch[0] += 1


def _literal(expression) -> bool:
    return not expression.filters and (
        not isinstance(expression.var, Variable) or expression.var.literal is not None
    )


def _same_for_everyone(node) -> bool:
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        return node.asvar is None and node.message_context is None and _literal(node.filter_expression)
    if isinstance(node, StaticNode):
        return node.varname is None and _literal(node.path)
    if isinstance(node, SimpleNode):
        return (
            node.func is fixed_url
            and node.target_var is None
            and not node.kwargs
            and all(_literal(argument) for argument in node.args)
        )
    return False


class FixedNode(template.Node):
    # Nothing inside can be a block: the walk for blocks an {% extends %} makes on every render stops here.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[tuple, SafeString] = {}

    def render(self, context) -> SafeString:
        key = (get_language(), get_script_prefix(), get_urlconf(), context.autoescape, _settings_epoch[0])
        text = self.rendered.get(key)
        if text is None:
            if len(self.rendered) >= 16:  # a few languages, at most: anything more is settings of old tests
                self.rendered.clear()
            text = self.rendered[key] = mark_safe(self.nodelist.render(context))  # noqa: S308 (rendered by Django)
        return text


@register.tag
def fixed(parser, token) -> FixedNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fixed %} takes no arguments.")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist:
        if not _same_for_everyone(node):
            raise template.TemplateSyntaxError(
                "{% fixed %} holds only text and translate, static and fixed_url of literal values, "
                f"not “{node.token.contents}”."
            )
    return FixedNode(nodelist)


@register.simple_tag
def menu_items(items) -> SafeString:
    """The main menu's <li> items, the current section marked with aria-current="page"."""
    return mark_safe(  # noqa: S308 (every text is escaped)
        "\n        ".join(
            f'<li><a href="{escape(url)}"{_CURRENT if current else ""}>{escape(str(label))}</a></li>'
            for _key, label, url, current in items
        )
    )


_CURRENT = ' aria-current="page"'
