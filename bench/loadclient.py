"""Simulated annotators for bench/load.py: HTTP clients that label through the API."""

import http.client
import json
import random
import threading
import time
from collections import defaultdict

from fill import SPANS


class Recorder:
    """Latencies, errors, queries and Django CPU per request type, from every client thread."""

    def __init__(self):
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.queries = defaultdict(int)
        self.cpu_us = defaultdict(int)
        self.nothing_left = 0
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, response, ok: bool) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
            if response is not None:
                self.queries[kind] += int(response.getheader("X-Queries") or 0)
                self.cpu_us[kind] += int(response.getheader("X-CPU-us") or 0)


class Client:
    """One annotator's browser: a session, and a connection to each app server; each request
    goes to one of them at random (a load balancer's choice)."""

    def __init__(self, headers: dict, ports: list[int]):
        self.headers = headers
        self.connections = [http.client.HTTPConnection("127.0.0.1", p, timeout=60) for p in ports]

    def request(self, method: str, path: str, body=None) -> tuple[int, bytes, object, float]:
        connection = random.choice(self.connections)
        headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            return 0, b"", None, time.perf_counter() - started
        return response.status, data, response, time.perf_counter() - started


def submission(item: dict) -> dict:
    """Return what an annotator would submit for the item: a claim, the attribution if any."""
    text = item["sentence"]["text"]
    source, cue = SPANS.get(text, (None, None))
    attributions = []
    if source:
        attributions.append(
            {
                "speaker": {"name": text[slice(*source)], "kind": "person"},
                "source": {"start": source[0], "end": source[1]},
                "cue": {"start": cue[0], "end": cue[1]},
            }
        )
    annotation = item.get("annotation") or {}
    return {
        "version": annotation.get("version"),
        "status": "submitted",
        "claim": "claim",
        "claim_types": [],
        "attributions": attributions,
        "stance": [],
        "lead_time_ms": 2000,
    }


def annotate(client: Client, recorder: Recorder, project: str) -> None:
    """Ask for the next sentence and submit it."""
    status, data, response, seconds = client.request("GET", f"/api/v1/projects/{project}/next/")
    recorder.add("next", seconds, response, status in (200, 204))
    if status == 204:
        with recorder.lock:
            recorder.nothing_left += 1
    if status != 200:
        return
    item = json.loads(data)
    path = f"/api/v1/sentences/{item['sentence']['id']}/annotation/"
    status, _, response, seconds = client.request("PUT", path, submission(item))
    recorder.add("submit", seconds, response, status in (200, 201))


def ping(client: Client, recorder: Recorder) -> None:
    status, _, response, seconds = client.request("GET", "/bench/ping/")
    recorder.add("ping", seconds, response, status == 200)


def run_clients(
    headers: list[dict],
    ports: list[int],
    work,
    seconds: float,
    recorder,
    *,
    pace: float = 0.0,
    seed: int = 0,
) -> None:
    """Run one thread per annotator calling work(client, recorder) until `seconds` pass.

    With `pace`, annotators work as people do, not to a shared clock: each starts at a random
    moment within the first `pace` seconds, and each round of work (a sentence) takes a time
    drawn uniformly between half and one and a half times `pace`, from its first request to
    the next round's (seeded: the same run gives the same offsets and pauses). Without, every
    annotator starts at once and never pauses.
    """
    started = time.monotonic()
    deadline = started + seconds

    def loop(client: Client, rng: random.Random) -> None:
        if pace:
            time.sleep(max(0.0, started + rng.uniform(0, pace) - time.monotonic()))
        while (began := time.monotonic()) < deadline:
            work(client, recorder)
            if pace:
                until = min(began + rng.uniform(0.5 * pace, 1.5 * pace), deadline)
                time.sleep(max(0.0, until - time.monotonic()))

    threads = [
        threading.Thread(target=loop, args=(Client(h, ports), random.Random(f"{seed}/{n}")))
        for n, h in enumerate(headers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
