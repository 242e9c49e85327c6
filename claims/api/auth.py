"""Token authentication: trade a username and password for a token, or revoke it."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from claims.api.parsers import JSONParser


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
        description="Return the user's API token (the same one until it is revoked).",
        auth=[],
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description='Missing field or wrong credentials: {"non_field_errors": [...]}'
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

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
