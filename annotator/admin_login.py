"""The admin's login form, saying plainly why a signed-up annotator cannot use the admin."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class AdminLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            raise ValidationError(
                "This account may not use the admin: it is for project reviewers. "
                "Annotators label on the home page.",
                code="not_staff",
            )
        super().confirm_login_allowed(user)
