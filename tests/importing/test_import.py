import json
import threading

import pytest
from django.core.management import call_command
from django.db import connections

from claims.importing import store
from claims.importing.prepare import Pending, split_known
from claims.importing.readers import CsvColumns, read_paths
from claims.importing.records import ArticleRecord
from claims.importing.store import articles_import, articles_import_checked
from claims.models import Article, Sentence
from claims.nlp.segmentation import segment
from tests.factories import SEEDS, make_article, make_project


def import_paths(project, *paths, columns=None):
    return articles_import(project=project, items=read_paths(list(paths), columns or CsvColumns()))


def assert_offsets_hold(article: Article):
    sentences = list(article.sentences.order_by("index"))
    assert sentences, "an imported article has sentences"
    previous_end = 0
    for sentence in sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
    covered = "".join(s.text for s in sentences)
    assert "".join(covered.split()) == "".join(article.text.split())


def test_seed_directory_imports_both_articles_with_offsets_intact(project):
    summary = import_paths(project, SEEDS)
    assert (summary.articles, summary.duplicates, summary.problems) == (2, 0, [])
    assert summary.sentences == Sentence.objects.filter(project=project).count()
    for article in Article.objects.filter(project=project):
        assert_offsets_hold(article)
    assert Article.objects.get(external_id="000_6e215ce514fd1e56").title == (
        "Russia ready to facilitate dialogue between Maduro and Venezuelan opposition"
    )


def test_reimport_is_a_no_op(project):
    import_paths(project, SEEDS)
    counts = (Article.objects.count(), Sentence.objects.count())
    again = import_paths(project, SEEDS)
    assert (again.articles, again.duplicates, again.problems) == (0, 2, [])
    assert (Article.objects.count(), Sentence.objects.count()) == counts


def test_same_text_under_another_id_is_a_duplicate(project, tmp_path):
    (tmp_path / "a.txt").write_text("One sentence here. Another one.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One sentence here. Another one.", encoding="utf-8")
    summary = import_paths(project, tmp_path)
    assert (summary.articles, summary.duplicates) == (1, 1)


def test_awkward_but_valid_text_imports_cleanly(project, tmp_path):
    raw = "\ufeffTitle line\r\nEmoji 🎉 and 𝔘nicode\tword. Second one 👍🏽 here.\r\n\r\nLast."
    (tmp_path / "awkward.txt").write_bytes(raw.encode("utf-8"))
    summary = import_paths(project, tmp_path / "awkward.txt")
    assert summary.problems == []
    article = Article.objects.get(external_id="awkward")
    assert "\r" not in article.text and not article.text.startswith("\ufeff")
    assert "\t" in article.text
    assert_offsets_hold(article)
    texts = list(article.sentences.values_list("text", flat=True))
    assert "Emoji 🎉 and 𝔘nicode\tword." in texts
    assert "Second one 👍🏽 here." in texts


def test_jsonl_reads_every_field_and_reports_bad_lines(project, tmp_path):
    path = tmp_path / "batch.jsonl"
    good = {
        "id": "a1",
        "text": "Lavrov said talks would resume. Nobody agreed.",
        "title": "Talks",
        "source": "TASS",
        "url": "https://example.org/a1",
        "published": "2019-01-30",
        "meta": {"lang": "en"},
    }
    lines = [
        json.dumps(good),
        "[1, 2]",
        json.dumps({"id": "x"}),
        "{not json",
        json.dumps({"text": " "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = import_paths(project, path)
    assert summary.articles == 1
    messages = [str(p) for p in summary.problems]
    assert messages == [
        f"{path}:2: expected a JSON object, got list",
        f"{path}:3: 'text' is required and must be a string",
        f"{path}:4: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:5: empty text",
    ]
    article = Article.objects.get(external_id="a1")
    assert (article.title, article.source, article.url) == ("Talks", "TASS", good["url"])
    assert article.published.isoformat() == "2019-01-30"
    assert article.meta == {"lang": "en"}


def test_an_export_trailer_is_not_read_as_an_article(project, tmp_path):
    """An empty project's native export is only its trailer: importing it imports nothing."""
    path = tmp_path / "empty-export.jsonl"
    trailer = {"trailer": {"records": 0, "sha256": "e3b0c44298fc1c149afbf4c8996fb924"}}
    path.write_text(json.dumps(trailer, separators=(",", ":")) + "\n", encoding="utf-8")
    summary = import_paths(project, path)
    assert (summary.articles, summary.problems) == (0, [])


def test_jsonl_bad_date_names_the_field(project, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"text": "A sentence.", "published": "30/01/2019"}), encoding="utf-8"
    )
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:1: 'published' is not an ISO date or date-time: '30/01/2019'"
    ]
    assert not Article.objects.exists()


def test_csv_with_named_columns(project, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        'slug,headline,body\nn1,First,"A first text. It has two sentences."\n'
        'n2,Second,"Multi-line\nbody text."\n',
        encoding="utf-8",
    )
    summary = import_paths(project, path, columns=CsvColumns("body", "slug", "headline"))
    assert (summary.articles, summary.problems) == (2, [])
    assert Article.objects.get(external_id="n2").title == "Second"
    assert list(Article.objects.get(external_id="n2").sentences.values_list("text", flat=True)) == [
        "Multi-line",
        "body text.",
    ]


def test_csv_without_the_text_column_is_reported(project, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,body\n1,Some text.\n", encoding="utf-8")
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:1: no column named 'text' (columns: id, body)"
    ]


def test_invalid_utf8_names_file_and_line_and_others_still_import(project, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Fine first line.\nBroken \xff\xfe here.\n")
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    summary = import_paths(project, tmp_path)
    assert [str(p) for p in summary.problems] == [
        f"{tmp_path / 'bad.txt'}:2: invalid UTF-8 (invalid start byte)"
    ]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["good"]


def test_empty_and_unknown_files_are_reported(project, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored in a directory", encoding="utf-8")
    summary = import_paths(project, tmp_path, tmp_path / "notes.md", tmp_path / "missing.txt")
    assert [str(p) for p in summary.problems] == [
        f"{tmp_path / 'empty.txt'}: empty text",
        f"{tmp_path / 'notes.md'}: unsupported file type .md; use .txt, .jsonl or .csv",
        f"{tmp_path / 'missing.txt'}: no such file or directory",
    ]
    assert not Article.objects.exists()


def test_changed_text_under_an_existing_id_is_refused_and_nothing_changes(project, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("The original text.", encoding="utf-8")
    import_paths(project, path)
    path.write_text("A changed text.", encoding="utf-8")
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}: article id 'story' already exists with a different text; not replaced"
    ]
    assert Article.objects.get(external_id="story").text == "The original text."
    assert list(Sentence.objects.values_list("text", flat=True)) == ["The original text."]


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_batching_does_not_change_the_result(project, tmp_path, batch_size):
    path = tmp_path / "many.jsonl"
    rows = [{"id": f"n{i}", "text": f"Article {i} says this. And that {i}."} for i in range(7)]
    rows.append(rows[2])  # a duplicate inside the same file
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    summary = articles_import(project=project, items=read_paths([path]), batch_size=batch_size)
    assert (summary.articles, summary.sentences, summary.duplicates) == (7, 14, 1)


def test_over_long_fields_are_refused_with_their_name(project, tmp_path):
    path = tmp_path / "long.jsonl"
    rows = [
        {"id": "x" * 201, "text": "One."},
        {"text": "Two.", "source": "s" * 201},
        {"text": "Three.", "url": "https://example.org/" + "u" * 2000},
        {"id": "fine", "text": "Four."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:1: 'external_id' is longer than 200 characters",
        f"{path}:2: 'source' is longer than 200 characters",
        f"{path}:3: 'url' is longer than 2000 characters",
    ]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["fine"]


def test_hostile_jsonl_lines_are_reported_and_the_others_import(project, tmp_path):
    path = tmp_path / "hostile.jsonl"
    separators = ["\u2028", "\u2029", "\x85"]  # line breaks to str.splitlines, not to JSONL
    good = [f"Talks{sep}resumed in Oslo. Lavrov{sep}said so." for sep in separators]
    lines = [json.dumps({"id": f"g{n}", "text": t}, ensure_ascii=False) for n, t in enumerate(good)]
    lines[1:1] = [
        '{"text": "A lone \\ud800 surrogate."}',
        '{"text": "A NUL \\u0000 character."}',
        '{"text": "Big number.", "meta": {"n": ' + "7" * 5000 + "}}",
        '{"text": "Deep.", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"text": "Not a number.", "meta": {"n": NaN}}',
        '{"text": "Too large.", "meta": {"n": 1e400}}',
        '{"text": "Deep meta.", "meta": ' + '{"a": ' * 100 + "1" + "}" * 100 + "}",
        '{"text": "Key.", "meta": {"k\\u0000": 1}}',
    ]
    data = "\r\n".join(lines).encode() + b"\n" + b'{"text": "Broken \xff byte."}\n'
    path.write_bytes(data + json.dumps({"id": "last", "text": "The end."}).encode())
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:2: 'text' contains a lone surrogate (U+D800 at character 7)",
        f"{path}:3: 'text' contains a NUL character (at character 6)",
        f"{path}:4: not valid JSON (Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits)",
        f"{path}:5: not valid JSON (nested too deeply)",
        f"{path}:6: not valid JSON (NaN is not a JSON number)",
        f"{path}:7: 'meta' has a number JSON cannot hold (inf)",
        f"{path}:8: 'meta' is nested more than 64 levels deep",
        f"{path}:9: 'meta' has a key that contains a NUL character (at character 1)",
        f"{path}:12: invalid UTF-8 (invalid start byte)",
    ]
    stored = dict(Article.objects.values_list("external_id", "text"))
    assert stored == {"g0": good[0], "g1": good[1], "g2": good[2], "last": "The end."}
    for article in Article.objects.all():
        assert_offsets_hold(article)


@pytest.mark.django_db(transaction=True)
def test_a_checked_import_commits_batch_by_batch():
    """Another connection sees each batch as soon as it is stored: no lock on the whole run."""
    project = make_project("batches")
    records = [
        ArticleRecord(origin=str(n), text=f"Article {n} says so.", external_id=f"a{n}")
        for n in range(2 * store.BATCH_ARTICLES + 1)
    ]
    seen = []

    def count_from_another_connection(done: int) -> None:
        counted = []

        def count() -> None:
            try:
                counted.append(Article.objects.filter(project_id=project.pk).count())
            finally:
                connections.close_all()

        thread = threading.Thread(target=count)
        thread.start()
        thread.join()
        seen.append(counted[0])

    articles_import_checked(
        project=project, records=records, on_progress=count_from_another_connection
    )
    assert seen == [store.BATCH_ARTICLES, 2 * store.BATCH_ARTICLES, len(records)]


def test_an_article_stored_by_another_import_meanwhile_fails_alone(project):
    """Checked, then stored elsewhere before this batch's insert: only that article fails."""
    records = [
        ArticleRecord(origin=f"r:{n}", text=f"Article {n} says so.", external_id=f"a{n}")
        for n in range(3)
    ]
    summary = store.ImportSummary()
    fresh, _, _ = split_known(project, store.prepared(records, summary), Pending())
    segmented = [(article, segment(article.text)) for article in fresh]
    make_article(project, "Another text, under the same id.", "a1")  # the other import
    outcomes = store.batch_store(project, segmented, summary)
    assert [(o.origin, o.external_id, o.sentences) for o in outcomes] == [
        ("r:0", "a0", 1),
        ("r:2", "a2", 1),
    ]
    assert [p.origin for p in summary.problems] == ["r:1"]
    assert summary.problems[0].message.startswith("not stored: ")
    assert Article.objects.get(external_id="a1").text == "Another text, under the same id."
    assert Sentence.objects.filter(article__external_id__in=["a0", "a2"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_segments_as_this_one_does(tmp_path):
    path = tmp_path / "many.jsonl"
    rows = [{"id": f"n{i}", "text": f"Article {i} said this.\n\nAnd that {i}."} for i in range(300)]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    for slug, workers in (("inline", "0"), ("worker", "1")):
        call_command(
            "import_articles", str(path), "--project", slug, "--create", "--workers", workers
        )
    fields = ("article__external_id", "index", "start", "end", "kind", "text")
    inline, worker = (
        list(Sentence.objects.filter(project__slug=slug).order_by(*fields).values_list(*fields))
        for slug in ("inline", "worker")
    )
    assert len(inline) == 600
    assert worker == inline


def test_a_line_ending_inside_a_string_and_a_utf16_file_are_named(project, tmp_path):
    """A line ending inside a string said "Invalid control character at at column 31"; a
    UTF-16 file gave an "invalid UTF-8" and a "not valid JSON" for what is one cause."""
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a1", "text": "Talks resumed\n{"id": "a2", "text": "Fine."}\n')
    messages = [str(p) for p in import_paths(project, path).problems]
    assert messages == [
        f"{path}:1: not valid JSON (Invalid control character at column 36; a string left "
        "open at the end of the line, or a tab or line break in a string not written as \\t "
        "or \\n)"
    ]
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes(json.dumps({"id": "w", "text": "Talks."}).encode("utf-16"))
    assert [str(p) for p in import_paths(project, wide).problems] == [
        f"{wide}:1: the file is UTF-16 (its first two bytes say so), not UTF-8: save it as UTF-8"
    ]


def test_a_blank_id_in_a_file_is_reported_and_the_other_lines_import(project, tmp_path):
    path = tmp_path / "ids.jsonl"
    lines = [{"id": " ", "text": "Talks resumed."}, {"id": "a2", "text": "Fine."}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:1: id: is blank: give the article an id, or leave it out"
    ]
    assert summary.articles == 1
