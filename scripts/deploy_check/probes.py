"""HTTP as a browser, a script and an intruder would send it, to the scratch deployment."""

import http.client
import json
import re
import socket
import ssl
import threading
import time
from urllib.parse import urlencode

HOST = "claims.example.org"


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Proxied(http.client.HTTPSConnection):
    """HTTPS to the scratch nginx on 127.0.0.1, as to https://claims.example.org:PORT."""

    def __init__(self, port: int, tls: ssl.SSLContext, source: str):
        super().__init__(HOST, port, context=tls, timeout=60, source_address=(source, 0))

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(raw, server_hostname=HOST)


class Browser:
    """A browser's cookies and origin, through the proxy (or straight to an app server)."""

    def __init__(self, https_port: int, ca: str, source: str = "127.0.0.1"):
        self.port, self.source = https_port, source
        self.tls = ssl.create_default_context(cafile=ca)
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{HOST}:{https_port}"

    def request(self, method: str, path: str, body=None, headers=None) -> Response:
        connection = Proxied(self.port, self.tls, self.source)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        for value in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(answer.status, answer.headers, data)

    def log_in(self, username: str, password: str) -> Response:
        """Log in with the login form, as a browser: CSRF cookie and token, Origin, Referer."""
        page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not token:
            return page
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        )
        return self.request(
            "POST", "/accounts/login/", form,
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
             "Referer": f"{self.origin}/accounts/login/"},
        )  # fmt: skip


def direct(port: int, method: str, path: str, *, source: str, headers: dict, body=None):
    """A plain HTTP request straight to an app server, from the given local address."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        connection.close()


def wait_healthy(port: int, machine, unit: str, seconds: float = 300) -> float:
    """Wait until the app server answers the health check of docs/deploy.md; return the wait.
    Raise TimeoutError if it does not in time, or as soon as its unit has stopped."""
    started = time.monotonic()
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    while time.monotonic() - started < seconds:
        try:
            answer = direct(port, "GET", "/accounts/login/", source="127.0.0.1", headers=headers)
            if answer.status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        if not machine.pid(unit):
            raise TimeoutError(f"{unit} on {machine.name} stopped (its log is below)")
        time.sleep(0.5)
    raise TimeoutError(f"the app server on port {port} did not answer in {seconds:.0f} s")


class KeepWorking(threading.Thread):
    """A signed-in user who keeps working through the proxy while servers restart: counts
    every answer that is not their page (a login page means they were logged out)."""

    def __init__(self, browser: Browser, username: str):
        super().__init__(daemon=True)
        self.browser, self.username = browser, username
        self.requests = 0
        self.logged_out = 0
        self.failed: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                answer = self.browser.request("GET", "/")
            except OSError as error:
                self.failed.append(f"{type(error).__name__}: {error}")
                continue
            self.requests += 1
            if answer.status == 302 and "/accounts/login/" in (answer.headers["Location"] or ""):
                self.logged_out += 1
            elif answer.status != 200 or self.username not in answer.text:
                self.failed.append(f"HTTP {answer.status}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=60)
