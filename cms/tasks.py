"""django-q2 task entry points."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cms.models import ProblemReport


def forget_problem_reports() -> int:
    """Problem reports are deleted ``PROBLEM_REPORT_DAYS`` after they were sent (they may
    hold whatever a person typed)."""
    cutoff = timezone.now() - timedelta(days=settings.SPORTELLO["PROBLEM_REPORT_DAYS"])
    return ProblemReport.objects.filter(created_at__lt=cutoff).delete()[0]
