"""django-q2 task entry points. They only call services."""

from messaging.outbox import message_send, messages_send_due


def send_message(message_id: int) -> str:
    return message_send(message_id=message_id)


def send_due() -> int:
    return messages_send_due(chain=True)
