"""Template filters that format with Babel in the active language."""

from django import template

from appointments import formatting

register = template.Library()


@register.filter
def day(value, style="full"):
    return formatting.format_day(value, style=style) if value else ""


@register.filter
def time_of_day(value):
    return formatting.format_time(value) if value else ""


@register.filter
def number(value):
    return formatting.format_number(value) if value is not None else ""
