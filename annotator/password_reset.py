"""Password reset by e-mail, honest about whether an e-mail can be sent at all.

Without a mail server configured (Django's EMAIL_* settings left at their defaults) the page
says so and how else to get a new password, instead of "sent" for an e-mail that never
leaves; with one, a failure to send is said too, not logged away.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def mail_configured() -> bool:
    """Tell whether someone set up sending e-mail: another backend, or an SMTP host."""
    return settings.EMAIL_BACKEND != SMTP or settings.EMAIL_HOST not in ("", "localhost")


class MailNotSent(Exception):
    """The reset e-mail could not be handed to the mail server."""


class ResetForm(PasswordResetForm):
    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ) -> None:  # fmt: skip
        """Send the reset link; raise MailNotSent when the mail server refuses (Django's own
        form logs that and carries on, and the page would say "sent")."""
        subject = " ".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server
            logger.exception("the password reset e-mail could not be sent")
            raise MailNotSent(str(error)) from error


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm

    def dispatch(self, request, *args, **kwargs):
        if not mail_configured():
            return render(request, "registration/password_reset_unavailable.html", status=503)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except MailNotSent:
            form.add_error("email", "The e-mail could not be sent; try again later, or ask an "
                           "administrator for a new password.")  # fmt: skip
            return self.form_invalid(form)
