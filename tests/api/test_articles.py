import pytest

from claims.models import Article, Role, Sentence
from tests.api.test_annotations import client_for
from tests.factories import make_article, make_member, make_project, make_user

ARTICLES = "/api/v1/projects/demo/articles/"
TALKS = 'Talks resumed in Oslo.\n"We are ready," the minister said. Nothing else happened.'


def post(user, data):
    return client_for(user).post(ARTICLES, data, format="json")


def test_a_reviewer_imports_one_article_segmented_as_on_import(project, reviewer):
    response = post(
        reviewer,
        {
            "id": "oslo-1",
            "title": "Oslo talks",
            "source": "Wire",
            "url": "https://example.org/oslo",
            "published": "2019-05-15",
            "meta": {"lang": "en"},
            "text": TALKS,
        },
    )
    assert response.status_code == 201, response.json()
    stored = Article.objects.get()
    assert response.json() == {
        "imported": 1,
        "duplicates": 0,
        "sentences": 3,
        "results": [
            {
                "index": 0,
                "status": "imported",
                "id": stored.id,
                "external_id": "oslo-1",
                "sentences": 3,
            }
        ],
    }
    assert (stored.title, stored.source, str(stored.published), stored.meta) == (
        "Oslo talks",
        "Wire",
        "2019-05-15",
        {"lang": "en"},
    )
    texts = [TALKS[s.start : s.end] for s in stored.sentences.order_by("index")]
    assert texts == [
        "Talks resumed in Oslo.",
        '"We are ready," the minister said.',
        "Nothing else happened.",
    ]


def test_a_list_imports_and_reports_duplicates(project, reviewer):
    existing = make_article(project, "Known text. Already here.", "known")
    response = post(
        reviewer,
        [
            {"text": TALKS, "id": 7},
            {"text": "Known text. Already here.", "id": "other-id"},
            {"text": TALKS},
        ],
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["imported"], body["duplicates"]) == (1, 2)
    assert [(r["index"], r["status"], r["external_id"]) for r in body["results"]] == [
        (0, "imported", "7"),
        (1, "duplicate", "known"),
        (2, "duplicate", "7"),
    ]
    assert body["results"][1]["id"] == existing.id
    again = post(reviewer, {"text": TALKS, "id": 7})
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    assert Article.objects.count() == 2


def test_any_bad_item_rejects_the_whole_request_naming_index_and_field(project, reviewer):
    make_article(project, "Known text. Already here.", "known")
    response = post(
        reviewer,
        [
            {"text": TALKS, "id": "fine"},
            {"title": "no text"},
            {"text": "   \n "},
            {"text": "Different text.", "id": "known"},
            {"text": "Dated text.", "published": "15 May 2019"},
            {"text": "Long title.", "title": "x" * 501},
            {"text": "Odd id.", "id": True},
            "not an object",
        ],
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["1"] == {"text": ["This field is required."]}
    assert errors["2"] == {"text": ["must contain more than whitespace"]}
    assert "3" not in errors  # well-formed: its id clash is judged once the request is valid
    assert errors["4"] == {
        "published": ["'published' is not an ISO date or date-time: '15 May 2019'"]
    }
    assert list(errors["5"]) == ["title"]
    assert errors["6"] == {"id": ["must be a string or an integer"]}
    assert list(errors["7"]) == ["non_field_errors"]
    assert "0" not in errors
    assert Article.objects.count() == 1 and Sentence.objects.count() == 2


def test_an_id_clash_rejects_the_whole_request(project, reviewer):
    make_article(project, "Known text. Already here.", "known")
    response = post(reviewer, [{"text": TALKS, "id": "fine"}, {"text": "Other.", "id": "known"}])
    assert response.status_code == 400
    assert response.json() == {
        "1": {"id": ["article id 'known' already exists with a different text; not replaced"]}
    }
    assert Article.objects.count() == 1 and Sentence.objects.count() == 2


def test_one_id_given_twice_with_different_texts_is_rejected(project, reviewer):
    response = post(reviewer, [{"text": TALKS, "id": "x"}, {"text": "Other.", "id": "x"}])
    assert response.json() == {
        "1": {"id": ["article id 'x' already exists with a different text; not replaced"]}
    }
    assert not Article.objects.exists()


def test_a_known_text_under_another_known_id_is_a_duplicate_as_on_import(project, reviewer):
    make_article(project, "First text. Here.", "first")
    second = make_article(project, "Second text. Here.", "second")
    response = post(reviewer, {"text": "Second text. Here.", "id": "first"})
    assert response.status_code == 200
    duplicate = {"index": 0, "status": "duplicate", "id": second.id, "external_id": "second"}
    assert response.json()["results"] == [{**duplicate, "sentences": 2}]


def test_a_single_bad_object_gets_its_fields(project, reviewer):
    assert post(reviewer, {"text": ""}).json() == {"text": ["This field may not be blank."]}
    assert post(reviewer, 42).json() == {
        "non_field_errors": ["expected an article or a list of them"]
    }
    assert post(reviewer, []).json()["imported"] == 0
    assert not Article.objects.exists()


def test_annotators_cannot_import_and_outsiders_get_404(project, annotator):
    assert post(annotator, {"text": TALKS}).status_code == 403
    outsider = make_member(make_project(), Role.REVIEWER)
    assert post(outsider, {"text": TALKS}).status_code == 404
    assert not Article.objects.exists()


def test_members_list_articles_and_filter_by_external_id(project, annotator, article):
    make_article(project, TALKS, "oslo")
    client = client_for(annotator)
    body = client.get(ARTICLES).json()
    assert [(a["external_id"], a["sentences"]) for a in body["results"]] == [
        ("lavrov", 3),
        ("oslo", 3),
    ]
    assert "text" not in body["results"][0]
    only = client.get(ARTICLES + "?external_id=oslo").json()["results"]
    assert [a["external_id"] for a in only] == ["oslo"]
    paged = client.get(ARTICLES + "?page_size=1&page=2").json()
    assert (paged["count"], [a["external_id"] for a in paged["results"]]) == (2, ["oslo"])
    assert client.get(ARTICLES + "?page=9").status_code == 404


def test_article_detail_has_text_and_sentences(project, annotator, article):
    body = client_for(annotator).get(f"/api/v1/articles/{article.id}/").json()
    assert (body["external_id"], body["project"], body["text"]) == ("lavrov", "demo", article.text)
    assert [s["kind"] for s in body["sentences"]] == ["heading", "body", "body"]
    for sentence in body["sentences"]:
        assert article.text[sentence["start"] : sentence["end"]] == sentence["text"]
    assert set(body["sentences"][0]) == {"id", "index", "start", "end", "kind", "text"}


def test_article_of_project_b_is_404_for_a_member_of_project_a(annotator):
    other = make_article(make_project(), "Someone else's article.")
    assert client_for(annotator).get(f"/api/v1/articles/{other.id}/").status_code == 404
    staff = client_for(make_user(is_staff=True, is_superuser=True))
    assert staff.get(f"/api/v1/articles/{other.id}/").status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_list_queries_do_not_grow_with_the_page(
    project, annotator, count, django_assert_num_queries
):
    for number in range(count):
        make_article(project, f"Article {number}. It has two sentences.")
    client = client_for(annotator)
    with django_assert_num_queries(3) as queries:  # project with role, count, page
        assert len(client.get(ARTICLES).json()["results"]) == count
    # Counting the articles reads no sentence; the page counts only its own articles'.
    count_query, page_query = (q["sql"] for q in queries.captured_queries[1:])
    assert "claims_sentence" not in count_query and "GROUP BY" not in count_query
    assert "LIMIT" in page_query


@pytest.mark.parametrize("sentences", [2, 30])
def test_detail_queries_do_not_grow_with_the_sentences(
    project, annotator, sentences, django_assert_num_queries
):
    article = make_article(project, " ".join(f"Sentence {i} ends." for i in range(sentences)))
    client = client_for(annotator)
    with django_assert_num_queries(3):  # article with project, membership, sentences
        body = client.get(f"/api/v1/articles/{article.id}/").json()
    assert len(body["sentences"]) == sentences


def test_a_long_article_comes_a_page_of_sentences_at_a_time(project, annotator, monkeypatch):
    from claims.api import article_detail

    article = make_article(project, " ".join(f"Sentence {i} ends." for i in range(1203)))
    client = client_for(annotator)
    body = client.get(f"/api/v1/articles/{article.id}/").json()
    assert (body["sentence_count"], len(body["sentences"])) == (1203, 500)
    assert body["sentences"][-1]["text"] == "Sentence 499 ends."
    assert body["text"] == article.text and body["length"] == len(article.text)
    rest, url = [], body["sentences_next"]
    while url:
        page = client.get(url).json()
        rest += page["results"]
        url = page["next"]
    assert [s["index"] for s in rest] == list(range(500, 1203))
    streamed = client.get(body["text_url"])
    assert streamed["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(streamed.streaming_content).decode() == article.text
    # A text longer than the detail carries is only at its URL.
    monkeypatch.setattr(article_detail, "TEXT_INLINE", 100)
    body = client.get(f"/api/v1/articles/{article.id}/").json()
    assert body["text"] is None and body["length"] == len(article.text)
    outsider = client_for(make_member(make_project("elsewhere")))
    for suffix in ("", "sentences/", "text/"):
        assert outsider.get(f"/api/v1/articles/{article.id}/{suffix}").status_code == 404


def test_a_paragraph_longer_than_spacys_limit_imports(project, reviewer):
    sentence = "The minister said the talks would resume in Oslo next week. "
    response = post(reviewer, {"id": "long", "text": sentence * 20_000})
    assert response.status_code == 201, response.json()
    assert response.json()["results"][0]["sentences"] == 20_000


def test_the_schema_documents_the_as_parameter_of_the_import(reviewer):
    schema = client_for(reviewer).get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/projects/{slug}/articles/"]["post"]
    (as_,) = [p for p in post.get("parameters", []) if p["name"] == "as"]
    assert as_["in"] == "query" and not as_.get("required", False)
    assert "annotator:NAME" in as_["description"] and "predictions" in as_["description"]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_id_is_refused_naming_it(project, reviewer, blank):
    """ "id": "" was replaced by a hash of the text without a word, "   " stored as the id."""
    response = post(reviewer, [{"text": TALKS, "id": "fine"}, {"text": "Other.", "id": blank}])
    assert response.status_code == 400
    assert response.json() == {"1": {"id": ["is blank: give the article an id, or leave it out"]}}
    assert not Article.objects.exists()
