"""The documents' marked code blocks, and the scratch names that replace their example names.

A block is marked by the comment line `<!-- deploy-check: NAME -->` right before its fence
(indented like it, inside a list item). Every mark must name a block this check knows, and
every block it needs must be marked, so neither side can drift away unnoticed.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MARK = re.compile(r"^(?P<indent>[ \t]*)<!-- deploy-check: (?P<name>[a-z0-9-]+) -->\s*$")
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>\S*)\s*$")


@dataclass(frozen=True)
class Block:
    name: str
    language: str
    text: str
    source: str  # file:line of the fence

    @property
    def path(self) -> str | None:
        """Return the path a file block names on its first line (`# /etc/...`), if any."""
        first = self.text.splitlines()[0] if self.text else ""
        return first[2:].strip() if first.startswith("# /") else None


def read_blocks(*documents: Path) -> dict[str, Block]:
    """Return every marked block of the documents by name; raise ValueError on a bad mark."""
    found: dict[str, Block] = {}
    for document in documents:
        lines = document.read_text().splitlines()
        for number, line in enumerate(lines):
            mark = MARK.match(line)
            if not mark:
                continue
            where = f"{document.name}:{number + 1}"
            fence = FENCE.match(lines[number + 1]) if number + 1 < len(lines) else None
            if not fence or fence["indent"] != mark["indent"]:
                raise ValueError(f"{where}: the mark is not followed by a code fence")
            body, indent = [], len(fence["indent"])
            for inner in lines[number + 2 :]:
                if inner.strip() == "```":
                    break
                body.append(inner[indent:])
            else:
                raise ValueError(f"{where}: the code block is not closed")
            if mark["name"] in found:
                raise ValueError(f"{where}: a second block named {mark['name']!r}")
            text = "\n".join(body) + "\n"
            found[mark["name"]] = Block(mark["name"], fence["info"], text, f"{where}")
    return found


def check_names(blocks: dict[str, Block], wanted: set[str]) -> None:
    unknown, missing = set(blocks) - wanted, wanted - set(blocks)
    problems = [f"marked but unknown to the check: {', '.join(sorted(unknown))}"] * bool(unknown)
    problems += [f"not marked in the documents: {', '.join(sorted(missing))}"] * bool(missing)
    if problems:
        raise ValueError("; ".join(problems))


# Example names of the documents that would mean another machine, a real one, if left in.
EXAMPLES = ("10.0.0.", "db.internal", "/etc/claims", "/srv/claims", "/var/lib/claims",
            "/var/backups/claims", "/etc/systemd/", "/etc/nginx/sites-", "/etc/letsencrypt",
            "PASSWORD@")  # fmt: skip


class Rewriter:
    """Replace the documents' example names by the scratch ones, counting each use."""

    def __init__(self):
        self.used: dict[str, int] = {}

    def __call__(self, text: str, pairs: list[tuple[str, str]], where: str) -> str:
        """Return the text with each example name replaced; raise ValueError naming any
        example name left (the documents name something this check does not map)."""
        tokens = {}
        for number, (old, new) in enumerate(pairs):
            self.used.setdefault(old, 0)
            if old in text:
                self.used[old] += 1
                token = f"\x00{number}\x00"
                tokens[token] = new
                text = text.replace(old, token)
        left = [name for name in EXAMPLES if name in text]
        if left:
            raise ValueError(f"{where}: names the check does not map: {', '.join(left)}")
        for token, new in tokens.items():
            text = text.replace(token, new)
        return text

    def unused(self) -> list[str]:
        return sorted(old for old, count in self.used.items() if not count)


def packages(blocks: dict) -> list[str]:
    """Return the Debian packages the `packages` block installs, in its order."""
    names: list[str] = []
    for line in blocks["packages"].text.splitlines():
        words = line.split("#", 1)[0].split()
        if words[:2] == ["apt-get", "install"]:
            names += [w for w in words[2:] if not w.startswith("-") and w not in names]
    return names


def missing_packages(names: list[str]) -> list[str]:
    def installed(name: str) -> bool:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        )
        return done.stdout.endswith("ok installed")

    return [name for name in names if not installed(name)]
