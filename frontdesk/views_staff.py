"""Who works at a desk, kept by its desk managers from the console: they add an existing
account by its username, or remove one. Accounts themselves are made by administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.forms import FriendlyForm
from core.responses import render
from frontdesk import selectors
from frontdesk.services import desk_staff_add, desk_staff_remove
from frontdesk.views import staff_only


class AddForm(FriendlyForm):
    username = forms.CharField(label=gettext_lazy("Username of the account to add"), max_length=150)


def addable(desk):
    """Who a desk manager may add: active operators (or desk managers) who work at no other
    city's desk. Editors, partners and administrators are given desks by administrators."""
    from appointments.models import Desk

    elsewhere = Desk.objects.exclude(city=desk.city).values("staff")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(groups__name__in=["Operators", "Desk managers"])
        .exclude(pk__in=elsewhere)
        .distinct()
    )


@staff_only
@never_cache
def desk_staff(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    if not request.user.has_perm("appointments.manage_staff"):  # desk managers
        raise PermissionDenied
    form = AddForm(request.POST if "username" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        chosen = request.POST["remove"]
        person = desk.staff.filter(pk=chosen).first() if chosen.isdigit() else None
        if person is None or person == request.user:
            messages.error(request, _("You cannot remove yourself, or someone not on the list."))
        else:
            desk_staff_remove(desk=desk, user=person, by=request.user)
            messages.success(
                request,
                _("%(name)s no longer works at this desk.") % {"name": person.get_username()},
            )
        return redirect("frontdesk:desk_staff", desk_id=desk.pk)
    if request.method == "POST" and form.is_valid():
        person = addable(desk).filter(username=form.cleaned_data["username"].strip()).first()
        if person is None:
            form.add_error(
                "username",
                _("No operator of this city has this username. An administrator makes accounts."),
            )
        else:
            desk_staff_add(desk=desk, user=person, by=request.user)
            messages.success(
                request, _("%(name)s now works at this desk.") % {"name": person.get_username()}
            )
            return redirect("frontdesk:desk_staff", desk_id=desk.pk)
    staff = desk.staff.order_by("username")
    return render(request, "frontdesk/staff.html", {"desk": desk, "staff": staff, "form": form})
