import hashlib
import json


def native_records(data: bytes, *, trailer: bool = False) -> list[dict]:
    """Return the records of a native JSONL export: one per line, every line a record; with
    `trailer`, the last line is the trailer, checked against the lines before it."""
    assert data == b"" or data.endswith(b"\n")
    lines = data.splitlines()
    if trailer:
        *lines, last = lines
        body = data[: len(data) - len(last) - 1]
        assert json.loads(last) == {
            "trailer": {"records": len(lines), "sha256": hashlib.sha256(body).hexdigest()}
        }
    records = [json.loads(line) for line in lines]
    assert all("trailer" not in record for record in records)
    return records
