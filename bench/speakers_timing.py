"""The candidates endpoint's speed at 10,000 speakers, beside a trivial signed-in view
(bench/speakers.py runs it after its scores)."""

import random
import time

from results import Figures

SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Reed",
    "Bailey",
    "Bell",
    "Kelly",
    "Howard",
    "Ward",
    "Cox",
    "Richardson",
    "Wood",
    "Watson",
    "Brooks",
    "Bennett",
    "Gray",
    "James",
    "Hughes",
    "Price",
    "Sanders",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Clinton",
    "Trump",
    "Obama",
    "Bush",
    "Johnson",
    "Graham",
    "Warren",
    "Lynch",
    "Comey",
    "Pence",
]
SYLLABLES = [
    "bar",
    "ton",
    "mel",
    "ric",
    "han",
    "sen",
    "dor",
    "gal",
    "wick",
    "ley",
    "mor",
    "ven",
    "tal",
    "bro",
    "ash",
    "fen",
    "lin",
    "cor",
]


def made_up_people(count: int, taken: set[str]) -> list[str]:
    """Return `count` made-up full names not in `taken` (folded): about ten people for each
    real last name above, the rest with made-up last names (two or three syllables)."""
    from claims.speakers.lexicon import lexicon

    firsts = sorted(lexicon().genders)
    made = [(a + b + c).capitalize() for a in SYLLABLES for b in SYLLABLES
            for c in ("", *SYLLABLES[:6])]  # fmt: skip
    lasts = [last for last in SURNAMES for _ in range(10)] + made * 10
    names: list[str] = []
    for n, last in enumerate(lasts):
        name = f"{firsts[(n * 7) % len(firsts)].capitalize()} {last}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
        if len(names) == count:
            break
    return names


def timing(bench, figures: Figures, speakers: int, requests: int) -> None:
    """Time the candidates endpoint at `speakers` speakers beside a trivial signed-in view."""
    from django.test import Client

    from claims.models import Speaker

    project = bench.project
    taken = {
        n.casefold() for n in Speaker.objects.filter(project=project).values_list("name", flat=True)
    }
    Speaker.objects.bulk_create(
        [Speaker(project=project, name=name, kind="person")
         for name in made_up_people(max(0, speakers - len(taken)), taken)],
        batch_size=2000,
    )  # fmt: skip
    total = Speaker.objects.filter(project=project).count()
    client = Client()
    client.force_login(bench.user)
    random.seed(5)
    asked = random.sample(bench.asked, min(requests, len(bench.asked)))
    url = "/api/v1/sentences/{}/speaker-candidates/?start={}&end={}"
    times: dict[str, list[float]] = {"candidates": [], "ping": []}
    warm = asked[:20]  # the first requests warm up, uncounted
    for n, (sentence_id, (start, end)) in enumerate([*warm, *asked]):
        for what, path in (("candidates", url.format(sentence_id, start, end)),
                           ("ping", "/bench/ping-auth/")):  # fmt: skip
            began = time.perf_counter()
            response = client.get(path)
            took = time.perf_counter() - began
            assert response.status_code == 200, (path, response.status_code)
            if n >= len(warm):
                times[what].append(took)

    def cut(values: list[float], share: float) -> float:
        return sorted(values)[int(share * (len(values) - 1))] * 1000

    figures.say(f"candidates endpoint on a project of {total} speakers, {len(asked)} requests "
                "of each, in process (session, middleware, DRF), beside a trivial signed-in "
                "view in the same run:")  # fmt: skip
    for what, values in times.items():
        figures.say(f"  {what:10} p50 {cut(values, 0.5):6.1f} ms   p95 {cut(values, 0.95):6.1f} ms")
    ratio = cut(times["candidates"], 0.95) / cut(times["ping"], 0.95)
    figures.say(f"  candidates p95 / trivial p95: {ratio:.1f}x   (target: candidates p95 < 20 ms)")
