from django.contrib import admin
from django.urls import include, path

from annotator import views
from annotator.admin_login import AdminLoginForm
from annotator.password_reset import PasswordResetView

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"
    ),  # before Django's own: says when no e-mail can be sent
    path("accounts/", include("django.contrib.auth.urls")),
    path("", views.home, name="home"),
    path("projects/<slug:slug>/label/", views.label, name="label"),
    path("", include("claims.api.urls")),
]
