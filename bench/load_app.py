"""The app as bench/load.py serves it: the real settings and URLs, plus two things for the
measurement only.

- `/bench/ping/`: a trivial JSON view through the same middleware, the baseline;
- `/bench/ping-auth/`: a trivial API view for a signed-in user (the API's authentication:
  session and user read from the database, as every API request does);
- a middleware answering, on every response, how many SQL queries the request ran and the
  CPU time the worker spent in Django for it (`X-Queries`, `X-CPU-us`).

Used as the settings module and the URLconf: DJANGO_SETTINGS_MODULE=load_app, with bench/ on
the Python path.
"""

import time

from annotator.settings import *  # noqa: F403 (the real settings, unchanged but for the below)
from annotator.settings import MIDDLEWARE

ROOT_URLCONF = "load_app"
MIDDLEWARE = ["load_app.Measured", *MIDDLEWARE]


class Measured:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.thread_time_ns()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-CPU-us"] = str((time.thread_time_ns() - started) // 1000)
        response["X-Queries"] = str(queries)
        return response


def ping(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


def ping_auth_view():
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class PingAuth(APIView):
        def get(self, request):
            return Response({"ok": True, "user": request.user.pk})

    return PingAuth.as_view()


def urlpatterns_():
    from django.urls import path

    from annotator.urls import urlpatterns

    return [path("bench/ping/", ping), path("bench/ping-auth/", ping_auth_view()), *urlpatterns]


def __getattr__(name: str):
    # The URLconf is read after settings are loaded; building it at import would load apps.
    if name == "urlpatterns":
        return urlpatterns_()
    raise AttributeError(name)
