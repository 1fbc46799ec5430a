"""Template tags for the shared product-declaration display."""

from html import escape as _escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..declaration import declaration_sections as build_sections
from ..i18n import per_language

register = template.Library()


@register.simple_tag
def declaration_sections(declaration, area_names=None):
    """{% declaration_sections declaration area_names=names as sections %}: `area_names` (slug → display
    name) spares the query for the service areas when the page has them already."""
    return build_sections(declaration, area_names=area_names or None)


@register.simple_tag
def declaration_html(declaration, heading_level=None, id_suffix=None, area_names=None) -> SafeString:
    """{% declaration_html declaration heading_level id_suffix area_names %}: the declaration section by
    section, each a headed list of fields ("Not stated" where empty). Written in Python rather than as nested
    template loops: the store's listing page shows a whole declaration and must answer in a few milliseconds.
    Every text is escaped here; line breaks in a value become <br>, as the linebreaksbr filter does."""
    level = int(heading_level or 2)
    suffix = escape(id_suffix or "")
    not_stated = f'<span class="muted">{escape(_("Not stated"))}</span>'
    parts = ['<div class="declaration">']
    for item in build_sections(declaration, area_names=area_names or None):
        anchor = f"decl-{escape(item['section'].key)}{suffix}"
        parts.append(
            f'  <section class="declaration-section" aria-labelledby="{anchor}">\n'
            f'    <h{level} class="ds-heading" data-size="sm" id="{anchor}">{escape(item["section"].title)}</h{level}>\n'
            '    <dl class="facts">'
        )
        for row in item["rows"]:
            value = lines_html(row["value"]) if row["value"] else not_stated
            parts.append(f"      <dt>{escape(row['label'])}</dt>\n      <dd>{value}</dd>")
        parts.append("    </dl>\n  </section>")
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every text above is escaped)


@register.simple_tag
def declaration_compare_html(rows, columns, caption=None) -> SafeString:
    """{% declaration_compare_html rows columns caption %}: declarations side by side, a row per field with the
    section as a row group, differing rows marked (rows from marketplace.declaration.compare_declarations,
    whose "section" is a schema section or a {"key", "title"} dict). In Python for the same reason as
    declaration_html: a comparison of four is a table of a hundred cells."""
    texts = _compare_texts()
    not_stated, differs_tag = texts["not_stated"], texts["differs"]
    columns = list(columns or [])
    parts = [
        '<table class="ds-table compare-table">',
        f"  <caption>{escape(caption) if caption else texts['caption']}</caption>",
        "  <thead>",
        f'    <tr><th scope="col">{texts["field"]}</th>'
        + "".join(f'<th scope="col">{escape(title)}</th>' for title in columns)
        + "</tr>",
        "  </thead>",
        "  <tbody>",
    ]
    previous = object()
    for row in rows or []:
        section = row["section"]
        key, title = (section["key"], section["title"]) if isinstance(section, dict) else (section.key, section.title)
        if key != previous:
            parts.append(
                f'    <tr class="section-row"><th scope="rowgroup" colspan="{len(columns) + 1}">{escape(title)}</th></tr>'
            )
            previous = key
        differs = bool(row["differs"])
        cell = ' class="diff-cell"' if differs else ""
        marked = ' class="differs"' if differs else ""
        values = "".join(f"<td{cell}>{lines_html(value) if value else not_stated}</td>" for value in row["values"])
        parts.append(
            f"    <tr{marked}>\n"
            f'      <th scope="row">{escape(row["label"])}{differs_tag if differs else ""}</th>\n'
            f"      {values}\n    </tr>"
        )
    parts += ["  </tbody>", "</table>"]
    return mark_safe("\n".join(parts))  # noqa: S308 (every text above is escaped)


@per_language
def _compare_texts() -> dict[str, str]:
    """The comparison table's fixed texts as HTML, in the language."""
    return {
        "not_stated": f'<span class="muted">{escape(_("Not stated"))}</span>',
        "differs": f' <span class="ds-tag" data-color="warning">{escape(_("Differs"))}</span>',
        "caption": escape(_("Side by side, section by section. Rows that differ are marked.")),
        "field": escape(_("Field")),
    }


def escape(text) -> str:
    """Django's escape() without its lazy-string wrapper (the same html.escape of the text)."""
    return _escape(str(text))


def lines_html(value: str) -> str:
    """The value escaped, its line breaks (any of \r\n, \r, \n) as <br>, as the linebreaksbr filter writes them."""
    text = _escape(str(value))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br>") if "\n" in text else text  # most values are one line


@register.filter
def get_field(form, name):
    """{{ form|get_field:"section__field" }} — a bound field by name."""
    return form[name]
