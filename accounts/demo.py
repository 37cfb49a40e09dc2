"""The demo's second factor: every demo login shares one known authenticator key, so that
a person trying the demo can add it to an app, or ask ``manage.py demo_code``. Demo only:
load_demo runs with DEBUG on, and so does demo_code."""

from __future__ import annotations

from base64 import b32decode

from accounts.models import AuthenticatorDevice

DEMO_KEY = "SPORTELLODEMOKEYSPORTELLODEMOKEY"  # base32, 20 bytes: never a real account's


def demo_authenticator(user) -> AuthenticatorDevice:
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AuthenticatorDevice.create_for(
            user, key=b32decode(DEMO_KEY), confirmed=True, name="demo"
        )
    return device


def demo_code() -> str:
    from django_otp.oath import totp

    return f"{totp(b32decode(DEMO_KEY)):06d}"
