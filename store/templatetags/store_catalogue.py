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
    from django.utils.html import conditional_escape as escape
    from django.utils.html import format_html
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
    # One escaped f-string per value: format_html_join would escape each of its nine parts separately.
    name = escape(param)
    rows = [
        f'<div class="choice"><input type="checkbox" id="f-{name}-{number}" name="{name}" '
        f'value="{escape(option.value)}"{" checked" if option.selected else ""}>'
        f'<label for="f-{name}-{number}">{escape(option.label)} '
        f'<span class="facet-count">({option.count})</span></label></div>'
        for number, option in enumerate(group.options, start=1)
    ]
    html = mark_safe("\n".join(rows[:VISIBLE_OPTIONS]))
    more = rows[VISIBLE_OPTIONS:]
    if more:
        summary = ngettext("Show %(counter)s more", "Show %(counter)s more", len(more)) % {
            "counter": len(more)
        }
        html = format_html(
            '{}<details class="facet-more"><summary>{}</summary>{}</details>',
            html,
            summary,
            mark_safe("\n".join(more)),
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


@register.simple_tag
def result_cards(cards, tray_ids):
    """{% result_cards page.object_list tray_ids_list %}: the search results, each its cached card with a
    "Sammenlikne" checkbox ticked when the product is in the visitor's compare tray. Written in Python for the
    same reason as facet_fieldset: twenty cards of template nodes cost more than the rest of the page."""
    from django.utils.html import conditional_escape as escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    compare = escape(gettext("Sammenlikne"))
    return mark_safe(
        "".join(
            f'\n          <li><article class="ds-card store-card" aria-labelledby="product-{card.product_id}-title">\n'
            f'{card.html}  <div class="choice compare-choice">\n'
            f'    <input type="checkbox" class="compare-check" name="produkt" value="{card.product_id}" '
            f'id="compare-{card.product_id}" form="compare-form"{" checked" if card.product_id in tray_ids else ""}>\n'
            f'    <label for="compare-{card.product_id}">{compare}<span class="ds-sr-only"> {escape(card.name)}'
            "</span></label>\n  </div>\n</article>\n</li>\n        "
            for card in cards
        )
    )


@register.simple_tag
def area_cards(cards, tray_ids):
    """{% area_cards front.cards tray_ids_list %}: the front page's card per service area (STO-1), with its most
    used products, each with a "Sammenlikne" checkbox ticked when it is in the visitor's tray, and the links
    "Beskrivelse applikasjon" and "Beskrivelse behov". In Python for the reason of facet_fieldset: a category's
    dozen cards are some six hundred template nodes."""
    from django.utils.html import conditional_escape as escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext, ngettext

    from marketplace.links import fixed_url

    if not cards:
        return mark_safe(
            f"\n      <li>{escape(gettext('No service areas are set up yet.'))}</li>\n    "
        )
    compare = escape(gettext("Sammenlikne"))
    remediation = (
        f'<span class="ds-tag" data-color="warning">{escape(gettext("Under utbedring"))}</span>'
    )
    search = escape(fixed_url("store:search"))
    parts = []
    for card in cards:
        slug, area_name = escape(card.area.slug), escape(card.area.display_name)
        count = ngettext("%(counter)s application", "%(counter)s applications", card.count) % {
            "counter": card.count
        }
        parts.append(
            '\n      <li class="ds-card store-area-card">\n'
            f'        <h3 class="ds-heading" data-size="xs">{area_name}</h3>\n'
            f'        <p class="ds-paragraph muted" data-size="sm">{escape(count)}</p>\n        '
        )
        if card.products:
            parts.append('\n        <ul class="store-area-card__products">\n        ')
            for product in card.products:
                product_id, name = product["product_id"], escape(product["name"])
                checked = " checked" if product_id in tray_ids else ""
                parts.append(
                    "\n          <li>\n"
                    f'            <a class="ds-link" href="{escape(fixed_url("store:listing", product_id))}">'
                    f"{name}</a>\n"
                    f'            <span class="muted">{escape(product["vendor"])}</span>\n'
                    f'            {remediation if product["under_remediation"] else ""}\n'
                    '            <span class="choice compare-choice">\n'
                    f'              <input type="checkbox" class="compare-check" name="produkt" value="{product_id}" '
                    f'id="cmp-{slug}-{product_id}" form="compare-form"{checked}>\n'
                    f'              <label for="cmp-{slug}-{product_id}">{compare}'
                    f'<span class="ds-sr-only"> {name}</span></label>\n'
                    "            </span>\n          </li>\n        "
                )
            parts.append("\n        </ul>\n        ")
        else:
            parts.append(
                '\n        <p class="ds-paragraph muted" data-size="sm">'
                f'{escape(gettext("No applications are listed here yet."))}</p>\n        '
            )
        needs = escape(fixed_url("innovation:service_area", card.area.slug))
        parts.append(
            '\n        <p class="store-area-card__links">\n'
            f'          <a class="ds-link" href="{search}?service_area={slug}">'
            f'{escape(gettext("Beskrivelse applikasjon"))}<span class="ds-sr-only">: {area_name}</span></a>\n'
            f'          <a class="ds-link" href="{needs}">{escape(gettext("Beskrivelse behov"))}'
            f'<span class="ds-sr-only">: {area_name}</span></a>\n'
            "        </p>\n      </li>\n    "
        )
    return mark_safe("".join(parts))
