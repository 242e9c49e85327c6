"""Password reset says "sent" only when an e-mail was handed to a mail server."""

from django.core import mail

from tests.factories import make_user

URL = "/accounts/password_reset/"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_without_a_mail_server_the_page_says_how_else_to_get_a_password(client, db, settings):
    # Django's defaults, as the app runs unless mail is set up (the tests swap in an outbox).
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = SMTP, "localhost"
    response = client.get(URL)
    assert response.status_code == 503
    assert "This server cannot send e-mail" in response.content.decode()
    assert client.post(URL, {"email": "ann@example.org"}).status_code == 503


def test_with_a_mail_server_the_link_is_sent(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("ann", email="ann@example.org")
    response = client.post(URL, {"email": "ann@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1 and "ann" in mail.outbox[0].body


def test_a_mail_server_that_refuses_is_said_not_sent(client, db, settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    make_user("ann", email="ann@example.org")
    response = client.post(URL, {"email": "ann@example.org"})
    assert response.status_code == 200
    assert "The e-mail could not be sent" in response.content.decode()
