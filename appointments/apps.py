from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from appointments import receivers, texts  # noqa: F401  (receivers, message kinds)
        from appointments.holidays import forget
        from appointments.models import HolidayOpening, PatronDay

        for model in (PatronDay, HolidayOpening):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"holidays-{model.__name__}")
        post_migrate.connect(_ensure_schedules, sender=self)
        post_migrate.connect(_ensure_groups, sender=self)


# The periodic tasks django-q2 runs: (function, minutes between runs).
PERIODIC_TASKS = [
    ("appointments.tasks.expire_holds", 1),
    ("appointments.tasks.queue_reminders", 5),
    ("appointments.tasks.waitlist_sweep", 5),
    ("appointments.tasks.forget_personal_data", 60 * 24),
    ("appointments.tasks.clear_sessions", 60),
]

# Group -> permissions (app_label.codename). Editors keep the offer; operators see bookings
# of their own desks (the admin screens filter by Desk.staff).
GROUP_PERMISSIONS = {
    "Editors": [
        "wagtailadmin.access_admin",
        *(
            f"appointments.{action}_{model}"
            for model in ("desk", "offering", "closure", "holidayopening")
            for action in ("add", "change", "delete", "view")
        ),
        # Cities and the shared list of services are kept by administrators.
        "appointments.view_city",
        "appointments.view_service",
    ],
    "Operators": [
        "wagtailadmin.access_admin",
        "appointments.view_appointment",
        "appointments.book_on_behalf",
        "appointments.view_desk",
        "appointments.view_offering",
        "appointments.view_closure",
        "appointments.view_holidayopening",
        "appointments.add_closure",
        "appointments.change_closure",
    ],
    # Desk managers also keep their desks' offer: services offered, opening hours, closures.
    "Desk managers": [
        "wagtailadmin.access_admin",
        "appointments.view_desk",
        *(f"appointments.{action}_offering" for action in ("add", "change", "view")),
        *(f"appointments.{action}_closure" for action in ("add", "change", "delete", "view")),
        "appointments.view_holidayopening",
        "appointments.view_appointment",
        "appointments.book_on_behalf",
        "accounts.view_auditentry",  # their desks' entries (appointments.admin_audit)
        "appointments.manage_staff",  # who works at their desks (the console's Staff page)
    ],
    # Members of partner organisations book at the desks their organisation is linked to,
    # and see the bookings it made (PartnerOrganisation).
    "Partners": [
        "wagtailadmin.access_admin",
        "appointments.book_on_behalf",
        "appointments.view_appointment",
    ],
}


def _ensure_schedules(**kwargs) -> None:
    from core.schedules import schedules_ensure

    schedules_ensure("appointments.tasks.", PERIODIC_TASKS)


def _ensure_groups(**kwargs) -> None:
    from accounts.roles import roles_ensure

    roles_ensure(("appointments", "wagtailadmin", "accounts"), GROUP_PERMISSIONS)
