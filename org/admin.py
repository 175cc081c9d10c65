"""The Django admin writes nothing that our services own.

Role permissions live in one `auth.Group` per role, kept in step with `org.roles.ROLE_PERMISSIONS`
by `org.groups`; TOTP and static OTP devices are enrolled and reset through `org.mfa`. Editing
either in the Django admin would bypass the policies and the ledger (等保2.0 三员分立: every change
of a permission or an authenticator is an act), so their admin pages are removed. This module is
imported by `admin.autodiscover()` after the django_otp plugins' admin modules (INSTALLED_APPS
order); the `is_registered` checks keep it correct whatever the order.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

UNREGISTERED = (Group, TOTPDevice, StaticDevice)

for model in UNREGISTERED:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
