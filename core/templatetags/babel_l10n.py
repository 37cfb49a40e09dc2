"""Template filters that format with Babel in the active language."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def day(value, style="full"):
    return formatting.format_day(value, style=style) if value else ""


@register.filter
def time_of_day(value):
    return formatting.format_time(value) if value else ""


@register.filter
def phone(value):
    """The whole number, grouped (``+39 347 123 4567``), for the person to check."""
    from core.phones import phone_display

    return phone_display(value) if value else ""


@register.filter
def language_name(code):
    return formatting.format_language(code) if code else ""
