"""Admin screens of the front desk: a desk's queues (letter, daily walk-in quota) and its
counters (which queues each serves), narrowed to the desks the user works at; and the
"called out of order" entry of Wagtail's history."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from appointments.admin_views import DeskScopedForm, DeskScopedViewSet, desk_scoped_register
from frontdesk.models import Counter, Queue
from frontdesk.services import OUT_OF_ORDER_ACTION, STAFF_ADDED_ACTION, STAFF_REMOVED_ACTION

desk_scoped_register(Queue, desk_path="desk")
desk_scoped_register(Counter, desk_path="desk")


class QueueForm(DeskScopedForm):
    """A queue is made with the desk's offering of its service; here only its letter, its
    quota and whether it is open change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("desk", "service"):
            if name in self.fields and self.instance.pk:
                self.fields[name].disabled = True

    def clean_letter(self):
        letter = self.cleaned_data["letter"].strip().upper()
        if not ("A" <= letter <= "Z"):
            raise forms.ValidationError(_("One letter from A to Z."))
        return letter


class CounterForm(DeskScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = kwargs.get("for_user")
        if "queues" not in self.fields:
            return
        if self.instance.pk:  # a counter stays at its desk
            self.fields["desk"].disabled = True
            self.fields["queues"].queryset = Queue.objects.filter(desk=self.instance.desk_id)
        elif user is not None and not user.is_superuser:
            self.fields["queues"].queryset = Queue.objects.filter(desk__staff=user)

    def clean(self):
        cleaned = super().clean()
        desk, queues = cleaned.get("desk"), cleaned.get("queues")
        if desk is not None and queues is not None and any(q.desk_id != desk.pk for q in queues):
            self.add_error("queues", _("A counter serves only queues of its own desk."))
        return cleaned


class QueueViewSet(DeskScopedViewSet):
    model = Queue
    icon = "list-ol"
    list_select_related = ("desk__city", "service")
    list_display = ["letter", "service", "desk", "walk_in_quota", "is_active"]
    list_filter = ["is_active"]  # a filter by city would list every city
    add_to_admin_menu = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("desk"), FieldPanel("service")]),
            FieldRowPanel([FieldPanel("letter"), FieldPanel("walk_in_quota")]),
            FieldPanel("is_active"),
        ],
        base_form_class=QueueForm,
    )


class CounterViewSet(DeskScopedViewSet):
    model = Counter
    icon = "group"
    list_select_related = ("desk__city",)
    list_display = ["name", "desk", "is_active"]
    list_filter = ["is_active"]  # a filter by city would list every city
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("desk"), FieldPanel("name")]),
            FieldPanel("queues", widget=forms.CheckboxSelectMultiple),
            FieldPanel("is_active"),
        ],
        base_form_class=CounterForm,
    )


class FrontDeskGroup(SnippetViewSetGroup):
    menu_label = _("Front desk")
    menu_icon = "list-ol"
    menu_order = 205
    items = (QueueViewSet, CounterViewSet)


register_snippet(FrontDeskGroup)


@hooks.register("register_log_actions")
def _log_actions(actions):
    actions.register_action(OUT_OF_ORDER_ACTION, _("Called out of order"), _("Called out of order"))
    actions.register_action(STAFF_ADDED_ACTION, _("Staff member added"), _("Staff member added"))
    actions.register_action(
        STAFF_REMOVED_ACTION, _("Staff member removed"), _("Staff member removed")
    )
