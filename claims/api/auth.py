"""Token authentication: trade a username and password for a token, or revoke it.

Tokens expire and die with a password change (claims.api.tokens). Failed attempts count
toward the login throttle (django-axes), like the login pages.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from claims.api.parsers import JSONParser
from claims.api.tokens import token_expired

LOCKED_OUT = (
    "Too many failed logins for this account or from this address: try again in {minutes} minutes."
)


class ApiDocsPermission(BasePermission):
    """The API schema and docs page: anyone, or signed-in users (CLAIMS_API_DOCS_PUBLIC=0)."""

    def has_permission(self, request, view) -> bool:
        return settings.CLAIMS_API_DOCS_PUBLIC or IsAuthenticated().has_permission(request, view)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`")


class TokenView(ObtainAuthToken):
    parser_classes = (JSONParser, parsers.FormParser)

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get a token",
        description="Return the user's API token (the same one until it is revoked, expires "
        "or the password changes).",
        auth=[],
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description='Missing field or wrong credentials: {"non_field_errors": [...]}'
            ),
            429: OpenApiResponse(description="Too many failed logins: try again later"),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):  # set by django-axes' backend
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                detail = LOCKED_OUT.format(minutes=minutes)
                return Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # A token for the right password is a login: last_login, and the throttle's reset.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        token = token or Token.objects.create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke the token",
        description="Delete the requester's token; the next POST issues a new one.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked")},
    )
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
