"""The scratch machines: directories standing for each machine's /etc and /var, the release
copied to /srv/claims, a PostgreSQL 15 cluster, a copy of Debian's nginx configuration and a
self-signed certificate; all on loopback, all removed afterwards."""

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from deploy_check.machine import Machine, Nginx

PG_BIN = Path("/usr/lib/postgresql/15/bin")
MACHINES = ("db", "app1", "app2", "proxy")
SKELETON = ("etc/systemd/system", "var/lib", "var/backups", "run")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_state(root: Path, checkout: Path) -> dict:
    ports = {name: free_port() for name in ("pg", "app1", "app2", "http", "https")}
    machines = {name: str(root / "machines" / name) for name in MACHINES}
    proxy = Path(machines["proxy"])
    return {
        "scratch": str(root),
        "checkout": str(checkout),
        "release": str(root / "srv" / "claims"),
        "ports": ports,
        "machines": machines,
        "database_password": secrets.token_urlsafe(18),
        "editor_password": "ed-" + secrets.token_urlsafe(12),
        "pg_data": str(root / "pg" / "data"),
        "pg_socket": str(root / "pg" / "socket"),
        "nginx_conf": str(proxy / "etc" / "nginx" / "nginx.conf"),
        "nginx_pid": str(proxy / "run" / "nginx.pid"),
        "tls": str(proxy / "tls"),
        "ca": str(proxy / "tls" / "fullchain.pem"),
    }


def save(state: dict) -> Path:
    path = Path(state["scratch"]) / "state.json"
    path.write_text(json.dumps(state, indent=1))
    return path


def build(state: dict) -> None:
    root = Path(state["scratch"])
    root.chmod(0o755)  # the service users go through it, as through / on a real machine
    for machine in state["machines"].values():
        for part in SKELETON:
            (Path(machine) / part).mkdir(parents=True, exist_ok=True)
    copy_release(Path(state["checkout"]), Path(state["release"]))
    copy_nginx(state)
    make_certificate(Path(state["tls"]))
    start_postgres(state)


def copy_release(checkout: Path, release: Path) -> None:
    """The checkout's files as they are (committed or not, ignored ones left out), owned by root."""
    listed = subprocess.run(
        ["git", "-C", str(checkout), "ls-files", "-z", "--cached", "--others",
         "--exclude-standard"],
        check=True, capture_output=True,
    ).stdout.split(b"\0")  # fmt: skip
    for name in filter(None, (n.decode() for n in listed)):
        source = checkout / name
        if source.is_file():
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, release / name)


def copy_nginx(state: dict) -> None:
    """Debian's /etc/nginx (the package's own nginx.conf and includes) for the proxy machine,
    its paths pointed at the copy, without the package's default site (which would take
    port 80 of the real machine)."""
    conf = Path(state["nginx_conf"])
    copied = conf.parent
    shutil.copytree("/etc/nginx", copied, symlinks=True)
    (copied / "sites-enabled" / "default").unlink(missing_ok=True)
    proxy = copied.parent.parent
    (proxy / "log").mkdir(exist_ok=True)
    text = conf.read_text().replace("/etc/nginx/", f"{copied}/")
    text = text.replace("pid /run/nginx.pid;", f"pid {state['nginx_pid']};")
    text = text.replace("/var/log/nginx/", f"{proxy}/log/")
    conf.write_text(text)


def make_certificate(directory: Path) -> None:
    directory.mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=claims.example.org", "-addext", "subjectAltName=DNS:claims.example.org",
         "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


def start_postgres(state: dict) -> None:
    """A cluster as Debian's pg_createcluster makes one: peer for local, scram over TCP."""
    data, sockets = Path(state["pg_data"]), Path(state["pg_socket"])
    sockets.mkdir(parents=True)
    postgres = pwd.getpwnam("postgres")
    os.chown(data.parent, postgres.pw_uid, postgres.pw_gid)
    os.chown(sockets, postgres.pw_uid, postgres.pw_gid)
    as_postgres(
        str(PG_BIN / "initdb"), "-D", str(data), "--auth-local=peer",
        "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
    )  # fmt: skip
    options = f"-p {state['ports']['pg']} -k {sockets} -c listen_addresses=127.0.0.1"
    as_postgres(
        str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l",
        str(data.parent / "postgresql.log"), "-w", "start",
    )  # fmt: skip


def stop_postgres(state: dict) -> None:
    if Path(state["pg_data"], "postmaster.pid").exists():
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", state["pg_data"],
             "-m", "fast", "-w", "stop"],
            capture_output=True,
        )  # fmt: skip


def show_service_logs(state: dict) -> None:
    for name, root in state["machines"].items():
        for log in sorted(Path(root, "run").glob("*.log")):
            lines = log.read_text(errors="replace").strip().splitlines()[-20:]
            print(f"--- {name}: {log.name}, last lines", *lines, sep="\n", file=sys.stderr)


def teardown(state: dict, created_user: bool, keep: bool) -> None:
    for name in state["machines"]:
        Machine(state, name).stop_all()
    Nginx(state).stop()
    stop_postgres(state)
    if created_user:
        subprocess.run(["userdel", "claims"], capture_output=True)
        subprocess.run(["groupdel", "claims"], capture_output=True)
    if keep:
        print(f"Kept {state['scratch']} (--keep).")
    else:
        shutil.rmtree(state["scratch"], ignore_errors=True)
