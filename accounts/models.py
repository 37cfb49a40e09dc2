"""The second factor's devices: an authenticator app (TOTP) and one-time backup codes.

django-otp's own TOTP and static devices keep their secrets in clear (the TOTP seed, the
backup codes). These keep the seed sealed (``DEVICE_KEYS``, core.sealing) and only keyed
hashes of the backup codes, with django-otp's throttling and its session handling.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from core.digits import ascii_digits
from core.sealing import seal_bytes, unseal_bytes
from core.tokens import CODE_ALPHABET, keyed_hash

_SEAL = {"keys_setting": "DEVICE_KEYS", "purpose": "sportello-device-secrets"}
BACKUP_CODES = 10
BACKUP_CODE_LENGTH = 10


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app on the person's phone: 6 digits every 30 seconds (RFC 6238)."""

    sealed_key = models.TextField(editable=False)
    step = 30
    digits = 6
    tolerance = 1  # the code before and after too: phones' clocks drift
    last_t = models.BigIntegerField(default=-1, editable=False)  # no code is used twice

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @classmethod
    def create_for(
        cls, user, *, key: bytes | None = None, confirmed: bool = False, name: str = "authenticator"
    ) -> AuthenticatorDevice:
        """A device with a new random key (or ``key``), sealed before it is stored."""
        key = secrets.token_bytes(20) if key is None else key
        return cls.objects.create(
            user=user, name=name, confirmed=confirmed, sealed_key=seal_bytes(key, **_SEAL)
        )

    @property
    def bin_key(self) -> bytes:
        return unseal_bytes(self.sealed_key, **_SEAL)

    @property
    def secret_text(self) -> str:
        """The key as people type it into an app: base32 in groups of four."""
        text = b32encode(self.bin_key).decode().rstrip("=")
        return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

    def config_url(self, *, issuer: str) -> str:
        from urllib.parse import quote, urlencode

        label = f"{issuer}:{self.user.get_username()}"
        secret = b32encode(self.bin_key).decode().rstrip("=")
        query = urlencode({"secret": secret, "issuer": issuer, "digits": 6, "period": 30})
        return f"otpauth://totp/{quote(label)}?{query}"

    def totp(self, at: float | None = None) -> TOTP:
        totp = TOTP(self.bin_key, self.step, 0, self.digits, 0)
        totp.time = time.time() if at is None else at
        return totp

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        text = ascii_digits(str(token)).replace(" ", "")
        totp = self.totp()
        verified = text.isdigit() and totp.verify(int(text), self.tolerance, self.last_t + 1)
        if verified:
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment(commit=True)
        return bool(verified)

    def get_throttle_factor(self) -> int:
        return 1  # waits of 1, 2, 4, 8 ... seconds after each wrong code


class BackupCodeDevice(ThrottlingMixin, Device):
    """Ten codes to write down, each good once, for a lost or flat phone."""

    class Meta(Device.Meta):
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    @staticmethod
    def normalise(token) -> str:
        text = ascii_digits(str(token)).upper()
        return "".join(ch for ch in text if ch.isalnum())

    @classmethod
    def issue(cls, user) -> list[str]:
        """New codes for ``user`` (the old ones stop working); shown once, stored hashed."""
        codes = [
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
            for _ in range(BACKUP_CODES)
        ]
        with transaction.atomic():
            # The same device, new codes: a session verified with a backup code stays so.
            device, _ = cls.objects.get_or_create(
                user=user, defaults={"name": "backup", "confirmed": True}
            )
            device.codes.all().delete()
            BackupCode.objects.bulk_create(
                BackupCode(device=device, code_hash=keyed_hash(code, purpose="backup-code"))
                for code in codes
            )
        return [f"{code[:5]}-{code[5:]}" for code in codes]

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        hashed = keyed_hash(self.normalise(token), purpose="backup-code")
        used = BackupCode.objects.filter(device=self, code_hash=hashed).delete()[0]
        if used:
            self.throttle_reset(commit=True)
        else:
            self.throttle_increment(commit=True)
        return bool(used)

    def get_throttle_factor(self) -> int:
        return 1

    @property
    def remaining(self) -> int:
        return self.codes.count()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_once")
        ]


class RoleGrant(models.Model):
    """A permission a staff role's group was given by default, once: an administrator may
    take it away, or delete the group, and it stays so (accounts.roles)."""

    role = models.CharField(max_length=150)
    permission = models.CharField(max_length=255)  # app_label.codename
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "permission"], name="role_grant_once")
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.permission}"


class AuditEntry(models.Model):
    """Staff's access to personal data: who opened, searched, changed, exported or erased
    what, and when. The person's number is never in it: a masked one to read, and a keyed
    hash to find the entries about one person when they ask (accounts.audit)."""

    class Action(models.TextChoices):
        BOOKING_VIEW = "booking.view", _("Opened a booking")
        BOOKING_SEARCH = "booking.search", _("Searched bookings")
        BOOKING_CHANGE = "booking.change", _("Moved or cancelled a booking")
        DAY_LIST = "daylist.view", _("Opened the day's list")
        MESSAGES_VIEW = "messages.view", _("Opened the texts not delivered")
        PERSON_FIND = "person.find", _("Found a person's data")
        PERSON_EXPORT = "person.export", _("Exported a person's data")
        PERSON_ERASE = "person.erase", _("Erased a person's data")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept when the account is deleted
    action = models.CharField(max_length=32, choices=Action.choices)
    desk_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    object_ref = models.CharField(max_length=64, blank=True)  # "appointment:12"
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.CharField(max_length=200, blank=True)  # masked: "+*********567"

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_ref}"
