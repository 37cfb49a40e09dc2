"""The outbox, for administrators: what went out, what failed and why, what waits.

Read-only, and without numbers, parameters or sealed secrets: a text comes from an event,
is never typed in, and no one may send it again to another number or set it back to
"created". Desks see their own bookings' texts on the booking's page instead.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from messaging.models import Message


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing as the model's permissions say; adding, changing, deleting: nobody."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


register_permission_policy(Message, ReadOnlyPolicy(Message))


class MessageViewSet(SnippetViewSet):
    model = Message
    icon = "mail"
    menu_label = "Text messages"
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["kind", "status", "error_code", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "provider_id"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "status",
        "reference",
        "scope",
        "language",
        "attempts",
        "error_code",
        "last_error",
        "provider_id",
        "created_at",
        "due_at",
        "sent_at",
        "final_at",
    ]


register_snippet(MessageViewSet)
