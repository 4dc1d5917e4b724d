"""Wrong passwords are throttled: by account and address, and by address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from tests.factories import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

LOCKED = "Too many wrong passwords: signing in from your address is paused."


def sign_in(client, username, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **headers
    )


def test_five_wrong_passwords_lock_the_account_from_that_address(client, editor_user):
    for _ in range(4):
        response = sign_in(client, "editor", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    response = sign_in(client, "editor", "wrong")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert "Wait 15\xa0minutes and try again" in response.text
    # Locked: even the right password is refused now, with the same page.
    response = sign_in(client, "editor", STAFF_PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.text
    assert client.get("/admin/").status_code == 302


def test_a_right_password_before_the_limit_signs_in_and_clears_the_count(client, editor_user):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", STAFF_PASSWORD)["Location"] == "/admin/"
    client.logout()
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", STAFF_PASSWORD).status_code == 302


def test_signing_in_to_one_account_does_not_clear_the_count_for_another(client, editor_user):
    make_staff("intruder", "Authors")
    for _ in range(2):
        for _ in range(2):
            sign_in(client, "editor", "wrong")
        assert sign_in(client, "intruder", STAFF_PASSWORD).status_code == 302
        client.logout()
    assert sign_in(client, "editor", "wrong").status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, editor_user):
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", STAFF_PASSWORD).status_code == 429
    # Sixteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = sign_in(client, "editor", STAFF_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_account_is_not_locked_for_other_addresses(client, editor_user):
    for _ in range(5):
        sign_in(client, "editor", "wrong", REMOTE_ADDR="198.51.100.7")
    assert sign_in(client, "editor", STAFF_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    elsewhere = sign_in(Client(), "editor", STAFF_PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert elsewhere.status_code == 302


def test_an_address_trying_many_accounts_is_locked_for_every_account(client, editor_user):
    for n in range(20):
        # Four tries at each of five names: no account reaches its own limit.
        response = sign_in(client, f"name-{n // 4}", "wrong", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert sign_in(client, "editor", STAFF_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    elsewhere = sign_in(Client(), "editor", STAFF_PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(client, editor_user, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        # Whatever the client puts first in X-Forwarded-For, the proxy adds
        # the address it saw last.
        forwarded = f"192.0.2.{n}, 203.0.113.5"
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=forwarded, **proxy)
    locked = sign_in(client, "editor", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    # Another reader behind the same proxy is not locked out.
    other = sign_in(Client(), "editor", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert other.status_code == 302


def test_without_the_proxy_setting_forwarded_addresses_are_ignored(client, editor_user):
    for n in range(5):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "editor", STAFF_PASSWORD).status_code == 429


def test_the_login_form_needs_its_csrf_token(editor_user):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "editor", STAFF_PASSWORD).status_code == 403
    page = client.get("/admin/login/")
    assert 'name="csrfmiddlewaretoken"' in page.text


def test_signing_in_without_a_request_is_not_throttled_or_refused(editor_user):
    # The test client's login() and a shell call authenticate() with no request.
    client = Client()
    assert not client.login(username="editor", password="wrong")
    assert client.login(username="editor", password=STAFF_PASSWORD)
    assert client.get("/admin/").status_code == 200
