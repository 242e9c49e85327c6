"""Settings and serving: DEBUG off unless asked, required production variables, no secrets in
error reports, static files with DEBUG off, the security headers, `check --deploy` clean."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

ROOT = django_settings.BASE_DIR
DATABASE_URL = "postgres://claims:s3cr3t-pw@db.internal:5432/claims"
# The production environment docs/deploy.md shows.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "Vq3n8_kHzL2pW-0rXb7TmcYd4sJfGe1uNaQ9oK5iR6tUvBy-lPw2hZx8gSjD3fMe",
    "DJANGO_ALLOWED_HOSTS": "claims.example.org",
    "DJANGO_HTTPS": "1",
    "DJANGO_PROXY_COUNT": "1",
    "DATABASE_URL": DATABASE_URL,
}


def clean_environment(**variables) -> dict:
    """The process environment without any of the app's variables, plus `variables`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CLAIMS_", "DATABASE_URL"))
    }
    return {**kept, "DJANGO_SETTINGS_MODULE": "annotator.settings", **variables}


def run_python(code: str, **variables) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in_process(names: list[str], **variables) -> dict:
    """Load the settings in a fresh process with exactly these variables; return some values."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    done = run_python(code, **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def load_wsgi(**variables) -> subprocess.CompletedProcess:
    return run_python("import annotator.wsgi", **variables)


def test_debug_is_off_unless_asked_for():
    assert settings_in_process(["DEBUG"]) == {"DEBUG": False}
    assert settings_in_process(["DEBUG"], DJANGO_DEBUG="1") == {"DEBUG": True}


def test_serving_without_the_secret_key_and_hosts_names_what_is_missing():
    done = load_wsgi(DATABASE_URL=DATABASE_URL)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "Cannot serve requests: DJANGO_SECRET_KEY is not set" in last
    assert "DJANGO_ALLOWED_HOSTS is not set" in last
    assert load_wsgi(**PRODUCTION).returncode == 0


def test_debug_with_a_public_host_is_refused():
    done = load_wsgi(DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="claims.example.org")
    assert "DJANGO_DEBUG=1 with public hosts allowed (claims.example.org)" in done.stderr
    assert load_wsgi(DJANGO_DEBUG="1").returncode == 0  # loopback hosts only: fine


def test_the_loopback_check_parses_addresses_not_prefixes():
    """A name that starts like a loopback address can point anywhere: DEBUG stays refused."""
    hosts = "127.evil.com,127.0.0.2,[::1],localhost"
    done = load_wsgi(DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS=hosts)
    assert done.returncode != 0
    assert "DJANGO_DEBUG=1 with public hosts allowed (127.evil.com)" in done.stderr
    loopback = load_wsgi(DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="127.0.0.2,[::1],localhost")
    assert loopback.returncode == 0, loopback.stderr


def make_run(host: str, **env) -> subprocess.CompletedProcess:
    """Start `make run`'s script on `host` (it stops before serving when refused)."""
    return subprocess.run(
        ["scripts/run.sh", host, "8999"],
        cwd=ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_takes_a_name_like_127_evil_com_for_a_public_address():
    done = make_run("127.evil.com", DJANGO_DEBUG="1")
    assert done.returncode == 2
    assert "DJANGO_DEBUG=1 is refused on 127.evil.com" in done.stderr


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("x", "DJANGO_SECRET_KEY is too short (1 characters; at least 50)"),
        ("ab" * 40, "DJANGO_SECRET_KEY repeats too few characters (2 different; at least 10)"),
        (
            "django-insecure-" + "q8w7e6r5t4y3u2i1o0pasdfghjklzxcvbnm1234567890",
            "DJANGO_SECRET_KEY looks like a placeholder, not a random key",
        ),
        ("change-me-" + "Vq3n8kHzL2pW0rXb7TmcYd4sJfGe1uNaQ9oK5iR6tUvBy", "a placeholder"),
    ],
)
def test_production_refuses_a_short_or_default_secret_key(key, problem):
    done = load_wsgi(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "Cannot serve requests: " in last and problem in last
    assert len(key) < 5 or key not in last  # the key is never printed
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=clean_environment(**{**PRODUCTION, "DJANGO_SECRET_KEY": key}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode != 0 and "annotator.E001" in check.stderr  # make serve stops here
    assert problem in check.stderr


def test_a_weak_old_key_among_the_fallbacks_is_refused_too():
    fallbacks = "Zr4-Tq9Lm2Wx7Kp0Ys5Hb8Nc3Vd6Jf1Ga_Ue0Io7Pl4Ak9Sm2Qn5Rw8Et3Yu6Xc1Bz," + "x"
    done = load_wsgi(**PRODUCTION, DJANGO_SECRET_KEY_FALLBACKS=fallbacks)
    assert "DJANGO_SECRET_KEY_FALLBACKS: key 2 is too short (1 characters" in done.stderr
    strong = load_wsgi(**PRODUCTION, DJANGO_SECRET_KEY_FALLBACKS=fallbacks.split(",")[0])
    assert strong.returncode == 0, strong.stderr


def test_make_run_refuses_debug_on_a_public_address():
    done = make_run("0.0.0.0", DJANGO_DEBUG="1")
    assert done.returncode == 2
    assert "DJANGO_DEBUG=1 is refused on 0.0.0.0" in done.stderr


def test_make_run_on_a_public_address_names_the_missing_variables():
    done = make_run("0.0.0.0")
    assert done.returncode == 2
    assert (
        "make run: serving on 0.0.0.0 with DEBUG off needs DJANGO_SECRET_KEY "
        "DJANGO_ALLOWED_HOSTS in the environment"
    ) in done.stderr


def test_a_bad_value_names_the_variable():
    done = run_python("import django; django.setup()", DJANGO_HSTS_SECONDS="a year")
    assert "DJANGO_HSTS_SECONDS must be a whole number, not 'a year'" in done.stderr


def test_https_settings_come_from_the_environment_and_check_deploy_is_clean():
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_PRELOAD",
        "CONN_MAX_AGE",
    ]
    values = settings_in_process(names, **PRODUCTION)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_PRELOAD": False,  # a promise to the browsers' list: only when asked for
        "CONN_MAX_AGE": None,  # not a top-level setting: see DATABASES below
    }
    database = settings_in_process(["DATABASES"], **PRODUCTION)["DATABASES"]["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_error_pages_never_show_the_database_password_or_other_credentials(client, settings):
    settings.DEBUG = True
    response = client.get(
        "/",
        headers={"host": "attacker.example"},
        DATABASE_URL=DATABASE_URL,
        SENTRY_DSN="https://public:sentry-secret@o1.ingest.example/1",
        SOME_BROKER="redis://worker:broker-secret@cache:6379/0",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "DisallowedHost" in page  # the debug page, with the request's variables
    for secret in ("s3cr3t-pw", "sentry-secret", "broker-secret"):
        assert secret not in page
    assert "redis://worker:********************@cache:6379/0" in page


def test_static_files_are_served_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/annotator/label.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()


def test_pages_carry_a_content_security_policy_without_inline_script(client, project, annotator):
    client.force_login(annotator)
    response = client.get(reverse("label", args=[project.slug]))
    policy = dict(
        item.strip().split(" ", 1) for item in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # no nonce used: the page has no inline script
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"


@pytest.mark.parametrize(("public", "anonymous_status"), [(True, 200), (False, 401)])
def test_api_docs_are_public_or_for_signed_in_users(client, settings, public, anonymous_status):
    settings.CLAIMS_API_DOCS_PUBLIC = public
    assert client.get("/api/schema/").status_code == anonymous_status
    assert client.get("/api/docs/").status_code == anonymous_status


def test_old_secret_keys_are_accepted_while_rotating():
    values = settings_in_process(["SECRET_KEY_FALLBACKS"], DJANGO_SECRET_KEY_FALLBACKS="old1, old2")
    assert values == {"SECRET_KEY_FALLBACKS": ["old1", "old2"]}


def test_collected_static_files_have_hashed_names_and_are_cached_for_good(
    client, settings, tmp_path, project, annotator
):
    """After `collectstatic` (make serve) pages link hashed names, module imports included,
    which are sent with a long immutable lifetime; the plain names are not cached long."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    # Only this project's own files, to keep the test short (the admin's are collected alike).
    ignore = ["admin", "drf_spectacular_sidecar", "rest_framework"]
    call_command("collectstatic", no_input=True, verbosity=0, ignore_patterns=ignore)
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage reads the new manifest

    client.force_login(annotator)
    page = client.get(reverse("label", args=[project.slug])).content.decode()
    script = re.search(r'src="(/static/annotator/label\.[0-9a-f]{12}\.js)"', page)
    assert script, "the labeling page links its script by a hashed name"
    response = client.get(script.group(1))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    module = b"".join(response.streaming_content).decode()
    assert re.search(r'from "\./config\.[0-9a-f]{12}\.js"', module)  # imports hashed too
    plain = client.get("/static/annotator/label.js")
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_prepares_the_statements_a_kept_connection_repeats(db):
    """The hot path's statements are parsed and planned once per connection, not per request."""
    from claims.models import Project

    for _ in range(6):
        list(Project.objects.filter(slug="prepared-statement-probe"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"claims_project"."slug" = $1%'],
        )
        assert cursor.fetchone()[0] == 1


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    url = "postgres://claims:pw@db.internal:5432/claims"
    default = settings_in_process(["DATABASES"], DATABASE_URL=url)["DATABASES"]["default"]
    assert default["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    off = settings_in_process(["DATABASES"], DATABASE_URL=url, DJANGO_DB_PREPARED="0")
    assert "prepare_threshold" not in off["DATABASES"]["default"].get("OPTIONS", {})
