import hashlib
import json


def native_records(data: bytes) -> list[dict]:
    """Return the records of a native JSONL export, after checking its trailer."""
    assert data.endswith(b"\n")
    *lines, last = data[:-1].split(b"\n")
    body = data[: len(data) - len(last) - 1]
    assert json.loads(last) == {
        "trailer": {"records": len(lines), "sha256": hashlib.sha256(body).hexdigest()}
    }
    return [json.loads(line) for line in lines]
