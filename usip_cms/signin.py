"""Signing in to the admin: throttled passwords, then a second factor.

Wrong passwords are counted by django-axes (LoginAttempts below); too many
lock out the account from that address, or the address, for a while, and
the lockout page says so (locked_out).

Two-factor sign-in for staff uses an authenticator app (TOTP) with one-time
recovery codes. Signing in is two steps for anyone with a confirmed
authenticator: the password (the admin's login page), then the 6-digit code
from the app or a recovery code. Until the code is right the session is not
signed in at all; it only remembers, for five minutes, whose password was
right. So a password alone opens nothing: not the admin, not the staff
preview of unpublished articles.

The devices are django-otp's: TOTPDevice for the app, StaticDevice holding the
recovery codes. A staff user enrols on the Two-factor sign-in page; with
REQUIRE_2FA_FOR_PUBLISHERS everyone who may publish is sent there first.
"""

import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# The session's note of whose password was right, waiting for the code.
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user):
    """REQUIRE_2FA_FOR_PUBLISHERS, for a user who may publish and has no app yet."""
    return (
        settings.REQUIRE_2FA_FOR_PUBLISHERS
        and user.has_perm("articles.publish_article")
        and not has_authenticator(user)
    )


def second_factor_redirect(request):
    """Where a signed-in staff user must go before the admin, or None.

    A user with an authenticator whose session has not given a code (signed
    in before enrolling elsewhere, say) goes to the code step; a publisher
    who must enrol goes to the enrolment page.
    """
    user = request.user
    if not (user.is_active and user.is_staff) or user.is_verified():
        return None
    if request.path == reverse("admin:logout"):
        return None
    if has_authenticator(user):
        target = "admin:login-code"
    elif must_enrol(user) and request.path != reverse("admin:two-factor"):
        target = "admin:two-factor"
    else:
        return None
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(f"{reverse(target)}?{query}")


class PasswordStep(LoginView):
    """The admin's login view: a right password signs in a user without an
    authenticator; one with an authenticator is sent to the code step."""

    def form_valid(self, form):
        user = form.get_user()
        if not has_authenticator(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
        }
        query = urlencode({REDIRECT_FIELD_NAME: self.get_success_url()})
        return redirect(f"{reverse('admin:login-code')}?{query}")


def pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


class CodeForm(forms.Form):
    """A code for one of the user's devices: the 6-digit code of the app, or
    a recovery code; while enrolling, the code of the app being set up."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, user, *args, setting_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setting_up = setting_up
        self.device = None
        if setting_up:
            self.fields["code"].label = "Code from the app"
            self.fields["code"].help_text = "The 6-digit code the app shows, to prove it is set up."

    def device_for(self, code):
        """The one device the code is meant for, and what to say if it is wrong.

        Only that device is tried: a wrong guess slows down that device alone
        (django-otp throttles each device).
        """
        if self.setting_up:
            return self.setting_up, (
                "That code is not right. Check that the phone sets its clock automatically, "
                "and enter the code the app shows now."
            )
        if code.isdigit() and len(code) == 6:
            return TOTPDevice.objects.filter(user=self.user, confirmed=True).first(), (
                "That code is not right. Enter the one your app shows now "
                "(it changes every 30 seconds)."
            )
        return StaticDevice.objects.filter(user=self.user).first(), (
            "That is not one of your recovery codes, or it has been used already."
        )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        device, wrong = self.device_for(code)
        if device is None:
            raise forms.ValidationError(wrong)
        refuse_while_throttled(device)
        # In a transaction, with the device locked: a code works once.
        self.device = verify_token(self.user, device.persistent_id, code)
        if self.device is None:
            raise forms.ValidationError(wrong)
        return code


def refuse_while_throttled(device):
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
        raise forms.ValidationError(
            ngettext(
                "Too many wrong codes in a row: wait %(seconds)d second and try again.",
                "Too many wrong codes in a row: wait %(seconds)d seconds and try again.",
                seconds,
            )
            % {"seconds": seconds}
        )


class Redirects(RedirectURLMixin):
    """Django's check that ?next= stays on this site."""

    def __init__(self, request):
        self.request = request
        self.next_page = reverse("admin:index")


def code_step(request, admin_site):
    """The second step: the code, for the pending user or a signed-in one
    whose session has not given it yet."""
    user = pending_user(request)
    signed_in = user is None
    if signed_in:
        user = request.user
        if not (user.is_authenticated and has_authenticator(user)):
            return redirect("admin:login")
        if user.is_verified():
            return redirect(Redirects(request).get_success_url())
    form = CodeForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        if signed_in:
            otp_login(request, form.device)
        else:
            del request.session[PENDING_KEY]
            # django-otp's user_logged_in receiver keeps the device in the session.
            user.otp_device = form.device
            auth_login(request, user, backend=user.backend)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code; %(left)d is left. "
                    "Make new ones on the Two-factor sign-in page.",
                    "You signed in with a recovery code; %(left)d are left. "
                    "Make new ones on the Two-factor sign-in page.",
                    left,
                )
                % {"left": left},
            )
        return redirect(Redirects(request).get_success_url())
    context = {
        **admin_site.each_context(request),
        "title": "Enter your code",
        "form": form,
        "who": user.get_username(),
        "next": request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "admin/two_factor/code.html", context)


def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def enrol(request, admin_site):
    """Set up an authenticator app, or manage the one set up."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    action = request.POST.get("action") if request.method == "POST" else None
    if confirmed and action == "new-codes":
        return recovery_codes(request, admin_site, new_recovery_codes(user))
    if confirmed and action == "replace":
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
        return redirect("admin:two-factor")
    if action == "cancel":
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return redirect("admin:two-factor")

    setting_up = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if confirmed and setting_up is None:
        context = {
            **admin_site.each_context(request),
            "title": "Two-factor sign-in",
            "device": confirmed,
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
        }
        return render(request, "admin/two_factor/status.html", context)
    if setting_up is None:
        setting_up = TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    form = CodeForm(user, request.POST if action == "confirm" else None, setting_up=setting_up)
    if form.is_valid():
        setting_up.confirmed = True
        setting_up.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=setting_up.pk).delete()
        otp_login(request, setting_up)
        return recovery_codes(request, admin_site, new_recovery_codes(user), enrolled=True)
    secret = b32encode(setting_up.bin_key).decode()
    context = {
        **admin_site.each_context(request),
        "title": "Set up two-factor sign-in",
        "form": form,
        "qr_code": segno.make(setting_up.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "replacing": confirmed is not None,
        "required": must_enrol(user),
    }
    return render(request, "admin/two_factor/enrol.html", context)


def recovery_codes(request, admin_site, codes, enrolled=False):
    """The new codes, shown once (admin views are sent with no-store)."""
    context = {
        **admin_site.each_context(request),
        "title": "Your recovery codes",
        "codes": codes,
        "enrolled": enrolled,
    }
    return render(request, "admin/two_factor/codes.html", context)


class ThrottledBackend(AxesStandaloneBackend):
    """Axes' backend (first in AUTHENTICATION_BACKENDS): refuses a locked-out
    sign-in before any password is checked.

    Every sign-in over HTTP passes its request. Code that calls authenticate()
    without one (the test client's login(), a shell) has no address to count,
    so it is left to the next backend instead of being refused with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginAttempts(AxesDatabaseHandler):
    """Axes' database handler (settings.AXES_HANDLER) with two limits.

    AXES_LOCKOUT_PARAMETERS counts failures per account and address, and per
    address. Axes compares one count with AXES_FAILURE_LIMIT, so the
    address's count stands in for it once it reaches LOGIN_IP_FAILURE_LIMIT.
    """

    def reset_user_attempts(self, request, credentials=None):
        # Axes would clear the address's count too: anyone with an account of
        # their own could then sign in to it between guesses at another one.
        by_account, _by_address = self.filter_user_attempts(request, credentials)
        count, _ = by_account.delete()
        return count

    def get_failures(self, request, credentials=None):
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account


def locked_out(request, response, credentials):
    """The page for a sign-in refused by django-axes (AXES_LOCKOUT_CALLABLE)."""
    from django.contrib import admin

    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "wait": timeuntil(now + get_cool_off(request), now),
    }
    return render(request, "admin/locked_out.html", context, status=429)
