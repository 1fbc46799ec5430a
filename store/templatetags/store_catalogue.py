"""Template tags of Butikken."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_section(context, plugin):
    """{% listing_section plugin %}: render a registered listing-page section (store.plugins) with its own
    context on top of the page's."""
    section_template = context.template.engine.get_template(plugin["template"])
    with context.push(**plugin["context"]):
        return section_template.render(context)


@register.simple_tag
def facet_fieldset(group):
    """{% facet_fieldset group %}: one filter of the search as a fieldset of checkboxes with counts.

    Built in Python rather than with template loops: a search page can show a couple of hundred filter values
    (FHIR resource types, vendors), and this is the hottest part of the page.
    """
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext, ngettext

    param = group.param
    badge = ""
    if group.selected_count:
        badge = format_html(
            ' <span class="ds-badge" data-color="info">{}<span class="ds-sr-only"> {}</span></span>',
            group.selected_count,
            gettext("chosen"),
        )
    help_text = ""
    if group.facet.match == "all":
        help_text = format_html(
            '<p class="ds-paragraph help" data-size="sm">{}</p>',
            gettext("Products with all the chosen values."),
        )
    rows = [
        (
            param,
            number,
            param,
            option.value,
            " checked" if option.selected else "",
            param,
            number,
            option.label,
            option.count,
        )
        for number, option in enumerate(group.options, start=1)
    ]
    row = (
        '<div class="choice"><input type="checkbox" id="f-{}-{}" name="{}" value="{}"{}>'
        '<label for="f-{}-{}">{} <span class="facet-count">({})</span></label></div>'
    )
    shown, more = rows[:VISIBLE_OPTIONS], rows[VISIBLE_OPTIONS:]
    html = format_html_join(
        "\n", row, ((a, b, c, d, mark_safe(e), f, g, h, i) for a, b, c, d, e, f, g, h, i in shown)
    )
    if more:
        summary = ngettext("Show %(counter)s more", "Show %(counter)s more", len(more)) % {
            "counter": len(more)
        }
        hidden = format_html_join(
            "\n", row, ((a, b, c, d, mark_safe(e), f, g, h, i) for a, b, c, d, e, f, g, h, i in more)
        )
        html = format_html(
            '{}<details class="facet-more"><summary>{}</summary>{}</details>', html, summary, hidden
        )
    return format_html(
        '<fieldset class="ds-fieldset facet" id="facet-{}"><legend class="ds-label">{}{}</legend>{}{}'
        "</fieldset>",
        param,
        group.label,
        badge,
        help_text,
        html,
    )


VISIBLE_OPTIONS = 8
