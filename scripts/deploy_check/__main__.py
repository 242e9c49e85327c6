"""Replay docs/deploy.md and docs/operations.md on this Debian 12 machine, as root, on loopback,
in a scratch directory, then check what a user would: see scripts/deploy-check.sh."""

import argparse
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy_check import scratch
from deploy_check.blocks import Rewriter, check_names, missing_packages, packages, read_blocks
from deploy_check.machine import Machine
from deploy_check.probes import Browser, KeepWorking, direct, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = Path(__file__).resolve().parents[1]
DOCUMENTS = (ROOT / "docs" / "deploy.md", ROOT / "docs" / "operations.md")
WANTED = {
    "packages", "database", "code", "env-file", "first-start", "web-unit", "worker-unit",
    "services", "worker-service", "nginx-site", "nginx-enable", "health", "backup",
    "restore-database", "restore", "project-backup", "rotate-accept", "rotate-sign",
    "rotate-drop",
}  # fmt: skip
APP_SERVERS = ("app1", "app2")
FAIL_TIMEOUT = 11  # nginx tries a server that failed again after 10 s (its fail_timeout)
# What the documents' commands call that this machine provides differently: systemctl runs
# the scratch machine's units, nginx reads the scratch configuration, curl finds the site on
# loopback and trusts its self-signed certificate.
PRELUDE = """\
set -euo pipefail
systemctl() { PYTHONPATH="$DEPLOY_CHECK_LIBRARY" /usr/bin/python3 -m deploy_check.machine "$@"; }
nginx() { command nginx -c "$DEPLOY_CHECK_NGINX_CONF" "$@"; }
curl() { command curl --resolve "claims.example.org:$DEPLOY_CHECK_HTTPS:127.0.0.1" \
  --cacert "$DEPLOY_CHECK_CA" "$@"; }
"""


class Failed(Exception):
    pass


class Check:
    def __init__(self, state: dict, state_file: Path):
        self.state, self.state_file = state, state_file
        self.blocks = read_blocks(*DOCUMENTS)
        check_names(self.blocks, WANTED)
        self.rewrite = Rewriter()
        self.logs = Path(state["scratch"]) / "logs"
        self.logs.mkdir()
        self.steps = 0
        self.problems: list[str] = []

    def pairs(self, machine: str) -> list[tuple[str, str]]:
        s, ports = self.state, self.state["ports"]
        root, proxy = s["machines"][machine], s["machines"]["proxy"]
        return [
            ("/etc/letsencrypt/live/claims.example.org", s["tls"]),
            ("/etc/nginx/sites-available", f"{proxy}/etc/nginx/sites-available"),
            ("/etc/nginx/sites-enabled", f"{proxy}/etc/nginx/sites-enabled"),
            ("/etc/systemd/system", f"{root}/etc/systemd/system"),
            ("/etc/claims", f"{root}/etc/claims"),
            ("/var/lib/claims", f"{root}/var/lib/claims"),
            ("/var/backups/claims", f"{root}/var/backups/claims"),
            ("/srv/claims", s["release"]),
            ("db.internal:5432", f"127.0.0.1:{ports['pg']}"),
            ("claims:PASSWORD@", f"claims:{s['database_password']}@"),
            ("HOST=10.0.0.11 PORT=8000", f"HOST=127.0.0.1 PORT={ports.get(machine)}"),
            ("10.0.0.11:8000", f"127.0.0.1:{ports['app1']}"),
            ("10.0.0.12:8000", f"127.0.0.1:{ports['app2']}"),
            ("FORWARDED_ALLOW_IPS=10.0.0.5", "FORWARDED_ALLOW_IPS=127.0.0.1"),
            ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
            ("https://claims.example.org/", f"https://claims.example.org:{ports['https']}/"),
        ]

    def environment(self, machine: str) -> dict[str, str]:
        """A root shell's environment on a Debian machine, plus what the prelude needs."""
        return {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": "/root", "LANG": "C.UTF-8", "TERM": "dumb",
            # The database server's own cluster: psql and createdb find it by these.
            "PGHOST": self.state["pg_socket"], "PGPORT": str(self.state["ports"]["pg"]),
            "DEPLOY_CHECK_STATE": str(self.state_file), "DEPLOY_CHECK_MACHINE": machine,
            "DEPLOY_CHECK_LIBRARY": str(LIBRARY),
            "DEPLOY_CHECK_NGINX_CONF": self.state["nginx_conf"],
            "DEPLOY_CHECK_HTTPS": str(self.state["ports"]["https"]),
            "DEPLOY_CHECK_CA": self.state["ca"],
        }  # fmt: skip

    def run(self, name: str, machine: str, *, stdin: str = "") -> str:
        """Run a marked block as the documents show it, on a scratch machine; return its output."""
        block = self.blocks[name]
        text = self.rewrite(block.text, self.pairs(machine), f"{block.source} ({name})")
        self.steps += 1
        log = self.logs / f"{self.steps:02d}-{name}-{machine}.log"
        started = time.monotonic()
        if block.path:  # a file to write where the block's first line says
            path = Path(text.splitlines()[0][2:].strip())
            path.write_text(text)
            log.write_text(text)
            print(f"  wrote {name} on {machine}: {block.path}", flush=True)
            return text
        done = subprocess.run(
            ["bash", "-c", PRELUDE + text], input=stdin, text=True, capture_output=True,
            env=self.environment(machine), cwd=self.state["scratch"], start_new_session=True,
        )  # fmt: skip
        log.write_text(f"$ {text}\n{done.stdout}\n{done.stderr}")
        seconds = time.monotonic() - started
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise Failed(f"{block.source} ({name}) on {machine} failed:\n{tail}")
        print(f"  ran {name} on {machine} ({seconds:.0f} s)", flush=True)
        return done.stdout

    def expect(self, ok: bool, what: str, detail: str = "") -> None:
        print(f"  {'ok' if ok else 'FAILED'}: {what}" + (f" ({detail})" if detail else ""))
        if not ok:
            self.problems.append(what + (f": {detail}" if detail else ""))

    def psql(self, query: str, database: str = "claims") -> str:
        url = (
            f"postgres://claims:{self.state['database_password']}@127.0.0.1:"
            f"{self.state['ports']['pg']}/{database}"
        )
        done = subprocess.run(
            ["psql", url, "-Atc", query], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def browser(self, source: str = "127.0.0.1") -> Browser:
        return Browser(self.state["ports"]["https"], self.state["ca"], source)


def deploy(check: Check) -> None:
    state = check.state
    print("Deploying by docs/deploy.md:", flush=True)
    # Not run: `apt-get install` would also upgrade this machine's packages. What it names
    # must be installed (scripts/deploy-check.sh installs what is missing).
    named = packages(check.blocks)
    missing = missing_packages(named)
    check.expect(not missing, f"the packages of step 1 are installed ({' '.join(named)})",
                 f"missing: {' '.join(missing)}")  # fmt: skip
    password = state["database_password"]
    check.run("database", "db", stdin=f"{password}\n{password}\n")
    for machine in APP_SERVERS:
        check.run("code", machine)
    check.run("env-file", "app1")
    # "copy it, with its owner and mode, to every other app server" (scp -p): the same text,
    # whose paths mean app2's own directories there.
    first = Path(state["machines"]["app1"], "etc/claims")
    other = Path(state["machines"]["app2"], "etc/claims")
    shutil.copytree(first, other, copy_function=shutil.copy2)
    text = (first / "env").read_text()
    (other / "env").write_text(text.replace(state["machines"]["app1"], state["machines"]["app2"]))
    shutil.copystat(first, other)
    for path in (other, other / "env"):
        os.chown(path, 0, pwd.getpwnam("claims").pw_gid)
    print("  copied /etc/claims/env from app1 to app2, owner and mode kept")
    check.run("first-start", "app1", stdin=f"{state['editor_password']}\n")
    for machine in APP_SERVERS:
        check.run("web-unit", machine)
    check.run("worker-unit", "app1")
    for machine in APP_SERVERS:
        check.run("services", machine)
    check.run("worker-service", "app1")
    for machine in APP_SERVERS:
        waited = wait_healthy(
            state["ports"][machine], Machine(state, machine), "claims-web.service"
        )
        print(f"  {machine} answers after {waited:.0f} s", flush=True)
    check.run("nginx-site", "proxy")
    check.run("nginx-enable", "proxy")
    output = check.run("health", "proxy")
    check.expect(output.count(" 200") == 3, "each app server and the proxy answer 200", output)


def use(check: Check) -> Browser:
    """What a user, a script and an intruder get from the deployment."""
    state, ports = check.state, check.state["ports"]
    print("Using it:", flush=True)
    redirect = direct(ports["http"], "GET", "/accounts/login/", source="127.0.0.1",
                      headers={"Host": "claims.example.org"})  # fmt: skip
    check.expect(
        redirect.status == 301 and redirect.headers["Location"].startswith("https://"),
        "plain HTTP is sent to HTTPS", f"{redirect.status} {redirect.headers['Location']}",
    )  # fmt: skip
    browser = check.browser()
    login = browser.log_in("editor", state["editor_password"])
    home = browser.request("GET", "/")
    check.expect(
        login.status == 302 and home.status == 200 and "editor" in home.text,
        f"the form login works through the proxy on port {ports['https']} (CSRF, Origin)",
        f"login {login.status}, home {home.status}",
    )  # fmt: skip
    page = browser.request("GET", "/accounts/login/").text + home.text
    hashed = sorted(set(re.findall(r"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:js|css)", page)))
    static = browser.request("GET", hashed[0]) if hashed else None
    cache = static.headers["Cache-Control"] if static else ""
    check.expect(
        bool(static) and static.status == 200 and "immutable" in cache and "315360000" in cache,
        "static files have hashed names and are cached for good", f"{hashed[:1]} {cache}",
    )  # fmt: skip
    forged = {"Host": "claims.example.org", "X-Forwarded-Proto": "https"}
    outsider = direct(ports["app1"], "GET", "/accounts/login/", source="127.0.0.2", headers=forged)
    insider = direct(ports["app1"], "GET", "/accounts/login/", source="127.0.0.1", headers=forged)
    check.expect(
        outsider.status == 301 and insider.status == 200,
        "X-Forwarded-Proto from an address that is not the proxy's is ignored",
        f"from 127.0.0.2: {outsider.status}, from the proxy's 127.0.0.1: {insider.status}",
    )  # fmt: skip
    body = '{"username": "probe-forged-address", "password": "wrong"}'
    headers = {"Content-Type": "application/json", "X-Forwarded-For": "6.6.6.6"}
    check.browser("127.0.0.3").request("POST", "/api/v1/auth/token/", body, headers)
    direct(ports["app1"], "POST", "/api/v1/auth/token/", source="127.0.0.2", body=body,
           headers={**forged, **headers})  # fmt: skip
    recorded = check.psql(
        "SELECT string_agg(DISTINCT host(ip_address), ',') FROM axes_accessattempt "
        "WHERE username = 'probe-forged-address'"
    )
    check.expect(
        recorded == "127.0.0.3",
        "a failed login counts against the address the proxy saw, never a forged one",
        f"recorded {recorded!r}",
    )  # fmt: skip
    started = browser.request("GET", "/api/v1/projects/newsroom/agreement/")
    job = started.json().get("job") if started.status in (200, 202) else None
    status = None
    deadline = time.monotonic() + 120
    while job and time.monotonic() < deadline:
        status = browser.request("GET", job).json().get("status")
        if status in ("succeeded", "failed"):
            break
        time.sleep(1)
    check.expect(status == "succeeded", "the worker runs a job", f"{job}: {status}")
    return browser


def operate(check: Check, browser: Browser) -> None:
    state = check.state
    print("Operating by docs/operations.md:", flush=True)
    check.run("backup", "app1")
    dumps = list(Path(state["machines"]["app1"], "var/backups/claims").glob("claims-*.dump"))
    modes = {oct(p.stat().st_mode & 0o777) for p in dumps}
    directory = oct(Path(state["machines"]["app1"], "var/backups/claims").stat().st_mode & 0o777)
    check.expect(
        len(dumps) == 1 and modes == {"0o600"} and directory == "0o700",
        "the dump is readable by root only", f"{modes}, directory {directory}",
    )  # fmt: skip
    check.run("restore-database", "db")
    check.run("restore", "app1")
    tables = ("auth_user", "claims_project", "claims_article", "claims_sentence",
              "claims_annotation", "django_session", "jobs_job")  # fmt: skip
    counts = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    live, restored = check.psql(counts), check.psql(counts, "claims_restored")
    check.expect(
        live == restored, "the restored database holds the same rows", f"{live} / {restored}"
    )
    check.run("project-backup", "app1")
    copies = check.psql("SELECT string_agg(slug, ',' ORDER BY slug) FROM claims_project")
    check.expect(copies == "newsroom,newsroom-copy", "a project backup restores", copies)

    print("Rotating the secret key while a signed-in user keeps working:", flush=True)
    new_key = secrets.token_urlsafe(50)
    user = KeepWorking(browser, "editor")
    user.start()
    for step in ("rotate-accept", "rotate-sign", "rotate-drop"):
        for machine in APP_SERVERS:  # one at a time, each once it answers again
            check.run(step, machine, stdin=f"{new_key}\n")
            wait_healthy(state["ports"][machine], Machine(state, machine), "claims-web.service")
            time.sleep(FAIL_TIMEOUT)  # "and 10 s more": nginx's fail_timeout (operations.md)
    user.stop()
    check.expect(
        user.logged_out == 0 and not user.failed and user.requests > 50,
        "nobody is logged out by the key rotation",
        f"{user.requests} requests, {user.logged_out} logged out, failures {user.failed[:3]}",
    )  # fmt: skip
    env_file = Path(state["machines"]["app2"]) / "etc/claims/env"
    env = env_file.read_text()
    check.expect(
        f"DJANGO_SECRET_KEY={new_key}\n" in env and "FALLBACKS" not in env,
        "the new key is the only key afterwards",
    )
    # The control: changing the key on one server at once (what the documents no longer say)
    # logs the same user out, so the probe above can tell.
    env_file.write_text(env.replace(new_key, secrets.token_urlsafe(50)))
    Machine(state, "app2").stop("claims-web.service")
    Machine(state, "app2").start("claims-web.service")
    wait_healthy(state["ports"]["app2"], Machine(state, "app2"), "claims-web.service")
    time.sleep(FAIL_TIMEOUT)
    control = KeepWorking(browser, "editor")
    control.start()
    time.sleep(5)
    control.stop()
    check.expect(
        control.logged_out > 0,
        "control: a server with another key logs the user out (the probe tells)",
        f"{control.requests} requests, {control.logged_out} logged out",
    )  # fmt: skip


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--missing-packages", action="store_true",
        help="print the Debian packages docs/deploy.md installs that are missing here, and stop",
    )  # fmt: skip
    args = parser.parse_args()
    if args.missing_packages:
        print(" ".join(missing_packages(packages(read_blocks(*DOCUMENTS)))))
        return 0
    if os.geteuid() != 0:
        print("deploy-check: run it as root (the documents' commands are root's).", file=sys.stderr)
        return 2
    # Stopped (SIGTERM, Ctrl-C): still stop what it started and remove what it made.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="claims-deploy-check."))
    state = scratch.make_state(root, ROOT)
    created_user = not user_exists("claims")
    problems: list[str] = []
    try:
        scratch.build(state)
        check = Check(state, scratch.save(state))
        print(f"Scratch machines in {root}; ports {state['ports']}")
        deploy(check)
        browser = use(check)
        operate(check, browser)
        problems = check.problems
        unused = check.rewrite.unused()
        if unused:
            problems.append(f"example names no block uses any more: {', '.join(unused)}")
    except (Failed, ValueError, TimeoutError, subprocess.CalledProcessError) as error:
        problems.append(str(error))
        print(f"FAILED: {error}", file=sys.stderr)
    finally:
        if problems:
            scratch.show_service_logs(state)
        scratch.teardown(state, created_user, args.keep)
    minutes = (time.monotonic() - started) / 60
    if problems:
        print(f"deploy-check: {len(problems)} problem(s) in {minutes:.1f} min:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"deploy-check: the documents work as written ({minutes:.1f} min).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
