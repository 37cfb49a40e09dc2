"""Plain Django views of the public site that are not Wagtail pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from cms.models import ProblemReport
from core.forms import FriendlyForm
from core.ratelimit import rate_limit
from core.redaction import redact_secrets


class ProblemReportForm(FriendlyForm):
    message = forms.CharField(
        label=_("What went wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Please do not write your name, phone number or health details here."),
    )
    page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


def page_without_secrets(url: str) -> str:
    """The page a report is about, minus manage tokens (editors read reports)."""
    return redact_secrets(urlsplit(url).path)


@rate_limit("problem-report")
def report_problem(request):
    """A form anyone can use; it stores the report for the editors to read in the admin."""
    if request.method == "POST":
        form = ProblemReportForm(request.POST)
        if form.is_valid():
            ProblemReport.objects.create(
                page=page_without_secrets(form.cleaned_data["page"]),
                message=redact_secrets(form.cleaned_data["message"]),
                language=translation.get_language(),
            )
            return render(request, "cms/report_problem.html", {"sent": True})
    else:
        referer = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        form = ProblemReportForm(
            initial={"page": page_without_secrets(referer)[:300] if safe else ""}
        )
    return render(request, "cms/report_problem.html", {"form": form})
