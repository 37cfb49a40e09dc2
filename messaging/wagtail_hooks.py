"""The outbox, for administrators: what went out, what failed and why, what waits.

Numbers and texts are never shown (texts are not even stored); desks see their own
bookings' messages on the booking's page instead.
"""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from messaging.models import Message


class MessageViewSet(SnippetViewSet):
    model = Message
    icon = "mail"
    menu_label = "Text messages"
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["kind", "status", "error_code", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "provider_id"]
    inspect_view_enabled = False
    create_view_enabled = False  # messages come from events, never typed in

    def get_queryset(self, request):
        return Message.objects.only(
            "kind", "status", "error_code", "attempts", "created_at", "sent_at"
        )


register_snippet(MessageViewSet)
