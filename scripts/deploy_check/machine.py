"""The scratch machines' services: systemd units started as systemd would, and nginx.

`systemctl` in the documents' commands runs `python3 -m deploy_check.machine ARGS` for the
machine the block runs on (DEPLOY_CHECK_STATE, DEPLOY_CHECK_MACHINE): no systemd is needed,
and nothing of the real machine's services is touched. A unit's `ExecStart` runs as its
`User`, in its `WorkingDirectory`, with only the environment its `EnvironmentFile` and
`Environment` lines give (and systemd's PATH), in a process group of its own, as a systemd
service's cgroup; stopping it sends SIGTERM to the group, then SIGKILL after 45 s.
"""

import fnmatch
import grp
import json
import os
import pwd
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
UNIT_DIR = "etc/systemd/system"
STOP_SECONDS = 45


@dataclass
class Unit:
    name: str
    user: str = "root"
    group: str | None = None
    workdir: str = "/"
    environment_files: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    exec_start: str = ""


def parse_unit(name: str, text: str) -> Unit:
    """Read the [Service] keys this check honours; refuse a unit without ExecStart."""
    unit, section = Unit(name), None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        if section != "[Service]":
            continue
        if key == "User":
            unit.user = value
        elif key == "Group":
            unit.group = value
        elif key == "WorkingDirectory":
            unit.workdir = value
        elif key == "EnvironmentFile":
            unit.environment_files.append(value)
        elif key == "Environment":
            for assignment in shlex.split(value):
                name_, _, setting = assignment.partition("=")
                unit.environment[name_] = setting
        elif key == "ExecStart":
            unit.exec_start = value
    if not unit.exec_start:
        raise SystemExit(f"{name}: no ExecStart in [Service]")
    return unit


def read_environment_file(path: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd reads them (comments and blank lines skipped, quotes removed)."""
    found = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[key.strip()] = value
    return found


class Machine:
    def __init__(self, state: dict, name: str):
        self.state, self.name = state, name
        self.root = Path(state["machines"][name])
        self.run = self.root / "run"
        self.run.mkdir(parents=True, exist_ok=True)

    def unit_files(self) -> dict[str, Path]:
        return {p.name: p for p in sorted((self.root / UNIT_DIR).glob("*.service"))}

    def resolve(self, patterns: list[str]) -> list[str]:
        """Return the units the names or glob patterns mean ('claims-*', 'claims-web')."""
        known, chosen = self.unit_files(), []
        for pattern in patterns:
            full = (
                pattern if pattern.endswith(".service") or "*" in pattern else pattern + ".service"
            )
            matched = [name for name in known if fnmatch.fnmatch(name, full)]
            if not matched and "*" not in pattern:
                raise SystemExit(f"Unit {full} not found.")
            chosen += [name for name in matched if name not in chosen]
        return chosen

    def pid(self, unit: str) -> int | None:
        try:
            pid = int((self.run / f"{unit}.pid").read_text())
            os.killpg(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid

    def start(self, unit_name: str) -> None:
        if self.pid(unit_name):
            return
        unit = parse_unit(unit_name, self.unit_files()[unit_name].read_text())
        account = pwd.getpwnam(unit.user)
        env = {
            "PATH": SYSTEMD_PATH, "LANG": "C.UTF-8", "HOME": account.pw_dir,
            "USER": unit.user, "LOGNAME": unit.user, "SHELL": account.pw_shell,
        }  # fmt: skip
        for path in unit.environment_files:
            env.update(read_environment_file(path))
        env.update(unit.environment)
        log = (self.run / f"{unit_name}.log").open("ab")
        # The unit's command itself is the main process, as under systemd (not a runuser,
        # which would kill it 2 s after SIGTERM, before gunicorn has finished its requests).
        process = subprocess.Popen(
            shlex.split(unit.exec_start), cwd=unit.workdir, env=env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, user=account.pw_uid,
            group=grp.getgrnam(unit.group).gr_gid if unit.group else account.pw_gid,
            extra_groups=[],
        )  # fmt: skip
        (self.run / f"{unit_name}.pid").write_text(str(process.pid))

    def stop(self, unit_name: str) -> None:
        pid = self.pid(unit_name)
        if pid is None:
            return
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.killpg(pid, signal.SIGKILL)
        (self.run / f"{unit_name}.pid").unlink(missing_ok=True)

    def stop_all(self) -> None:
        for unit in self.unit_files():
            self.stop(unit)


class Nginx:
    """The proxy machine's nginx, run with the scratch copy of Debian's configuration."""

    def __init__(self, state: dict):
        self.conf = state["nginx_conf"]
        self.pid_file = Path(state["nginx_pid"])

    def running(self) -> bool:
        try:
            os.kill(int(self.pid_file.read_text()), 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return False
        return True

    def command(self, *arguments: str) -> None:
        subprocess.run(["nginx", "-c", self.conf, *arguments], check=True)

    def reload(self) -> None:
        self.command("-s", "reload") if self.running() else self.command()

    def stop(self) -> None:
        if self.running():
            self.command("-s", "quit")
            deadline = time.monotonic() + STOP_SECONDS
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.2)


def systemctl(state: dict, machine_name: str, arguments: list[str]) -> None:
    """The systemctl verbs the documents use, on one scratch machine."""
    options = [a for a in arguments if a.startswith("--")]
    verb, *names = [a for a in arguments if not a.startswith("--")]
    if names and all(n.removesuffix(".service") == "nginx" for n in names):
        nginx = Nginx(state)
        if verb in {"reload", "restart", "start", "enable"}:
            nginx.reload()
        elif verb == "stop":
            nginx.stop()
        return
    machine = Machine(state, machine_name)
    if verb == "daemon-reload":
        for name, path in machine.unit_files().items():
            parse_unit(name, path.read_text())
        return
    units = machine.resolve(names)
    if verb == "enable":
        if "--now" in options:
            for unit in units:
                machine.start(unit)
    elif verb == "start":
        for unit in units:
            machine.start(unit)
    elif verb == "stop":
        for unit in units:
            machine.stop(unit)
    elif verb == "restart":
        for unit in units:
            machine.stop(unit)
            machine.start(unit)
    elif verb == "is-active":
        if not all(machine.pid(unit) for unit in units):
            raise SystemExit(3)
    else:
        raise SystemExit(f"systemctl {verb}: not something the documents do")


def main() -> None:
    state = json.loads(Path(os.environ["DEPLOY_CHECK_STATE"]).read_text())
    systemctl(state, os.environ["DEPLOY_CHECK_MACHINE"], sys.argv[1:])


if __name__ == "__main__":
    main()
