"""The audit log, read by desk managers for their desks (and administrators for all)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.models import AuditEntry
from appointments.admin_pages import AdminPage
from appointments.models import Desk

PER_PAGE = 100


def audit_desks(user):
    """The desks whose log ``user`` reads: those they work at, or all for administrators."""
    if user.is_superuser:
        return Desk.objects.all()
    return Desk.objects.filter(staff=user)


class AuditLogView(AdminPage, TemplateView):
    template_name = "appointments/admin/audit_log.html"
    page_title = _("Audit log")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("accounts.view_auditentry"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        desks = audit_desks(self.request.user).in_bulk()
        entries = AuditEntry.objects.filter(desk_id__in=desks)
        if self.request.user.is_superuser:
            entries = AuditEntry.objects.all()  # entries of no desk too (a person's erasure)
        page = Paginator(entries.order_by("-at"), PER_PAGE).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["rows"] = [
            {
                "entry": entry,
                "desk": desks.get(entry.desk_id),
                "when": localtime(
                    entry.at,
                    ZoneInfo(desks[entry.desk_id].time_zone) if entry.desk_id in desks else None,
                ),
            }
            for entry in page
        ]
        return context
