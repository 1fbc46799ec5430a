"""Small template helpers for accessible Designsystemet form fields."""

from django import forms, template

register = template.Library()

_CHOICE_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.filter
def ds_widget(bound_field):
    """Render a field's widget with the design-system class and aria links to its help and error texts."""
    attrs = {}
    if not isinstance(bound_field.field.widget, _CHOICE_WIDGETS):
        attrs["class"] = "ds-input"
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def plugin_section(context, plugin):
    """{% plugin_section plugin %}: render a section another app plugged into this page, with its own
    context on top of the page's (plugin = {"template": ..., "context": {...}})."""
    section_template = context.template.engine.get_template(plugin["template"])
    with context.push(**plugin["context"]):
        return section_template.render(context)
