from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sms_reply_number() -> str:
    """The number people can text START to (empty when the sender is one-way)."""
    return settings.SPORTELLO.get("SMS_REPLY_NUMBER", "")
