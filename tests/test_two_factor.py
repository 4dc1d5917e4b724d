"""Two-factor sign-in for staff: a code from an authenticator app after the
password, one-time recovery codes, enrolment, and enrolment made mandatory
for publishers."""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from tests.factories import (
    STAFF_PASSWORD,
    make_article,
    make_staff,
    totp_code,
)

pytestmark = pytest.mark.django_db

CODE_STEP = "/admin/login/code/?next=%2Fadmin%2F"


def sign_in_with_password(client, username):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": STAFF_PASSWORD}
    )


def enter_code(client, code, url=CODE_STEP):
    return client.post(url, {"code": code})


def recovery_codes_of(response):
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", response.text)


def test_with_an_authenticator_the_password_alone_opens_nothing(client, enrolled_editor):
    draft = make_article(status=Article.Status.DRAFT, slug="a-draft")
    response = sign_in_with_password(client, "editor")
    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    # Not signed in: no admin, no staff preview of unpublished work.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get(f"/publications/{draft.slug}/").status_code == 404
    page = client.get(CODE_STEP)
    assert page.status_code == 200
    assert "Signing in as <strong>editor</strong>" in page.text


def test_the_code_from_the_app_signs_in(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    response = enter_code(client, totp_code(enrolled_editor))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_wrong_code_is_refused_and_then_slowed_down(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    right = totp_code(enrolled_editor)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get("/admin/").status_code == 302
    # Straight after a wrong code even the right one waits a moment.
    response = enter_code(client, right)
    assert "Too many wrong codes in a row: wait" in response.text
    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    assert enter_code(client, right)["Location"] == "/admin/"


def test_the_code_step_needs_a_right_password_first(client, enrolled_editor):
    assert client.get(CODE_STEP)["Location"] == "/admin/login/"
    assert enter_code(client, totp_code(enrolled_editor))["Location"] == "/admin/login/"
    assert client.get("/admin/").status_code == 302


def test_a_code_works_once(client, enrolled_editor):
    code = totp_code(enrolled_editor)
    sign_in_with_password(client, "editor")
    assert enter_code(client, code).status_code == 302
    other = Client()
    sign_in_with_password(other, "editor")
    assert "That code is not right" in enter_code(other, code).text


def test_a_recovery_code_signs_in_once(client, enrolled_editor):
    from usip_cms.signin import new_recovery_codes

    codes = new_recovery_codes(enrolled_editor.user)
    assert len(codes) == 10
    sign_in_with_password(client, "editor")
    response = enter_code(client, codes[3].upper())
    assert response["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "You signed in with a recovery code; 9 are left." in page.text
    client.post("/admin/logout/")

    sign_in_with_password(client, "editor")
    response = enter_code(client, codes[3])
    assert "That is not one of your recovery codes, or it has been used already." in response.text
    assert client.get("/admin/").status_code == 302


def test_a_signed_in_session_that_gave_no_code_is_sent_to_the_code_step(client, enrolled_editor):
    # Signed in some other way (here force_login): the admin still wants the code.
    client.force_login(enrolled_editor.user)
    response = client.get("/admin/articles/article/")
    assert response["Location"] == "/admin/login/code/?next=%2Fadmin%2Farticles%2Farticle%2F"
    response = enter_code(client, totp_code(enrolled_editor), url=response["Location"])
    assert response["Location"] == "/admin/articles/article/"
    assert client.get("/admin/articles/article/").status_code == 200


def test_staff_enrol_with_the_qr_code_and_get_ten_recovery_codes(client, editor_user):
    client.force_login(editor_user)
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    assert '<img src="data:image/svg+xml;charset=utf-8,' in page.text
    assert "data:" in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    device = TOTPDevice.objects.get(user=editor_user, confirmed=False)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    assert len(secret.replace(" ", "")) == 32  # the 20-byte key, in base 32

    response = client.post("/admin/two-factor/", {"action": "confirm", "code": totp_code(device)})
    assert response.status_code == 200
    assert "Two-factor sign-in is on." in response.text
    codes = recovery_codes_of(response)
    assert len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    # This session gave the code; the next sign-in asks for it.
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    assert sign_in_with_password(client, "editor")["Location"] == CODE_STEP
    assert enter_code(client, codes[0])["Location"] == "/admin/"


def test_a_wrong_code_does_not_turn_two_factor_on(client, editor_user):
    client.force_login(editor_user)
    client.get("/admin/two-factor/")
    response = client.post("/admin/two-factor/", {"action": "confirm", "code": "000000"})
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=editor_user, confirmed=True).exists()
    client.logout()
    assert sign_in_with_password(client, "editor")["Location"] == "/admin/"


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_editor):
    from usip_cms.signin import new_recovery_codes

    old = new_recovery_codes(enrolled_editor.user)
    sign_in_with_password(client, "editor")
    enter_code(client, totp_code(enrolled_editor))
    page = client.get("/admin/two-factor/")
    assert "You have 10 unused recovery codes." in page.text
    new = recovery_codes_of(client.post("/admin/two-factor/", {"action": "new-codes"}))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/admin/logout/")
    sign_in_with_password(client, "editor")
    assert "has been used already" in enter_code(client, old[0]).text


def test_moving_to_a_new_phone_keeps_the_old_app_until_the_new_one_works(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    enter_code(client, totp_code(enrolled_editor))
    client.post("/admin/two-factor/", {"action": "replace"})
    new = TOTPDevice.objects.get(user=enrolled_editor.user, confirmed=False)
    assert new.key != enrolled_editor.key
    assert TOTPDevice.objects.filter(pk=enrolled_editor.pk, confirmed=True).exists()
    response = client.post("/admin/two-factor/", {"action": "confirm", "code": totp_code(new)})
    assert len(recovery_codes_of(response)) == 10
    assert list(TOTPDevice.objects.filter(user=enrolled_editor.user)) == [new]


def test_mandatory_two_factor_sends_a_publisher_to_enrol_first(client, editor_user, settings):
    settings.REQUIRE_2FA_FOR_PUBLISHERS = True
    assert sign_in_with_password(client, "editor")["Location"] == "/admin/"
    response = client.get("/admin/articles/article/")
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Farticles%2Farticle%2F"
    page = client.get(response["Location"])
    assert "Everyone who can publish signs in with a code" in page.text
    # They can still sign out.
    assert client.post("/admin/logout/").status_code == 200


def test_mandatory_two_factor_lets_the_publisher_in_once_enrolled(client, editor_user, settings):
    settings.REQUIRE_2FA_FOR_PUBLISHERS = True
    client.force_login(editor_user)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor_user)
    client.post("/admin/two-factor/", {"action": "confirm", "code": totp_code(device)})
    assert client.get("/admin/articles/article/").status_code == 200


def test_mandatory_two_factor_leaves_authors_who_cannot_publish_free(client, settings):
    settings.REQUIRE_2FA_FOR_PUBLISHERS = True
    client.force_login(make_staff("writer", "Authors"))
    assert client.get("/admin/articles/article/").status_code == 200


def test_two_factor_forms_need_their_csrf_token(enrolled_editor):
    client = Client(enforce_csrf_checks=True)
    login = client.get("/admin/login/")
    token = login.context["csrf_token"]
    data = {"username": "editor", "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/admin/login/?next=/admin/", data)["Location"] == CODE_STEP
    assert client.post(CODE_STEP, {"code": totp_code(enrolled_editor)}).status_code == 403
    page = client.get(CODE_STEP)
    assert 'name="csrfmiddlewaretoken"' in page.text
    code = {"code": totp_code(enrolled_editor), "csrfmiddlewaretoken": page.context["csrf_token"]}
    assert client.post(CODE_STEP, code)["Location"] == "/admin/"

    enrol = client.get("/admin/two-factor/")
    assert 'name="csrfmiddlewaretoken"' in enrol.text
    assert client.post("/admin/two-factor/", {"action": "new-codes"}).status_code == 403


def test_the_code_step_waits_five_minutes_at_most(client, enrolled_editor, monkeypatch):
    sign_in_with_password(client, "editor")
    later = time.time() + 301
    monkeypatch.setattr("usip_cms.signin.time.time", lambda: later)
    assert enter_code(client, totp_code(enrolled_editor, at=later))["Location"] == "/admin/login/"


@pytest.mark.browser
def test_in_a_browser_the_qr_code_shows_and_the_key_enrols(page, live_server, transactional_db):
    from django.contrib.auth.models import User
    from playwright.sync_api import expect

    User.objects.create_user("amina", password=STAFF_PASSWORD, is_staff=True)
    # A script or image the CSP blocks shows up as a console error. (The
    # admin has no favicon; the browser asks for one anyway.)
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "favicon.ico" not in message.location.get("url", "")
            and errors.append(message.text)
        ),
    )
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Two-factor sign-in").click()

    qr = page.get_by_role("img", name="QR code to scan with the authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth") > 0
    # As someone would type the key into an app by hand.
    key = page.locator("#totp-secret").inner_text().replace(" ", "")
    device = TOTPDevice(key=b32decode(key).hex())
    page.get_by_label("Code from the app").fill(totp_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert not errors, errors
