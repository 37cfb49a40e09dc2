"""What messaging tells the domain apps, which know what a message or a number means to
them (messaging imports none of them)."""

from django.dispatch import Signal

# A message's status moved: message_id, status.
message_status_changed = Signal()
# A number sent STOP (or the provider says it did) / sent START: phone.
number_opted_out = Signal()
number_opted_in = Signal()
