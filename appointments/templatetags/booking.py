from django import template

from appointments.views import encode_start, start_url

register = template.Library()


@register.simple_tag
def slot_url(offering, start):
    return start_url(offering, start)


@register.filter
def slot_key(start):
    return encode_start(start)


@register.filter
def local(value, tz):
    return value.astimezone(tz) if value else value
