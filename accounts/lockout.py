"""Failed logins, counted by django-axes on every login form (Wagtail's and Django's admin).

Two counts, each over the last ``AXES_COOLOFF_TIME``:

- a name from one address: ``AXES_FAILURE_LIMIT`` wrong passwords lock that name there, so
  someone guessing from outside never locks a colleague out at the desk;
- one address, whatever the names: ``SPORTELLO["LOGIN_FAILURES_PER_ADDRESS"]`` (higher, as a
  whole office may share one address) stops one machine trying many names.

The address is ``core.ratelimit.client_address``: the one the outermost trusted proxy saw.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    """``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "ip_address"]``: the
    first count against the failure limit, the second against the address's own limit."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        name_here, address = counts[0], counts[-1]
        limit = settings.AXES_FAILURE_LIMIT
        per_address = settings.SPORTELLO["LOGIN_FAILURES_PER_ADDRESS"]
        # The address's count on the name's scale: locked when either reaches its limit.
        return max(name_here, address * limit // per_address)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that name's failures from that address only, never
        other names' failures from the same address."""
        return self.filter_user_attempts(request, credentials)[0].delete()[0]
