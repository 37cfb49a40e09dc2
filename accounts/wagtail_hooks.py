from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from accounts.services import RESET_ACTION


@hooks.register("register_log_actions")
def _log_actions(actions):
    actions.register_action(
        RESET_ACTION, _("Second factor reset"), _("Second factor reset (lost phone)")
    )


@hooks.register("register_user_listing_buttons")
def _reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Reset second factor"),
            url=reverse("accounts:reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )


@hooks.register("register_account_menu_item")
def _backup_codes(request):
    return {
        "url": reverse("accounts:backup_codes"),
        "label": _("Backup codes"),
        "help_text": _(
            "Codes for the day your phone is lost or flat: see how many are left, or make new ones."
        ),
    }
