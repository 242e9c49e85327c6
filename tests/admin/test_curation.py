"""The curators' admin: who sees what, read-only annotations, and constant query counts."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims.jobs.models import Job
from claims.models import Annotation, AnnotationKind, Article, Role, Sentence
from claims.services.gold import gold_adopt
from tests.factories import (
    TARGET,
    make_article,
    make_member,
    make_project,
    make_user,
    save_annotation,
)
from tests.services.test_annotations import LAVROV_NOTED

CHANGELIST = "/admin/claims/annotation/"
ARTICLE_NUMBERS = itertools.count()


def staff_reviewer(project, username=None):
    user = make_member(project, Role.REVIEWER, username)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def staff(project):
    return staff_reviewer(project, "rita")


@pytest.fixture
def other_project(db):
    project = make_project("other")
    article = make_article(project, "Elsewhere, prices fell. Nobody noticed it.", "elsewhere")
    user = make_member(project, Role.ANNOTATOR, "outsider-annotator")
    save_annotation(
        article.sentences.get(index=0), user, {"status": "submitted", "claim": "checkworthy"}
    )
    return project


def fill(project, article_count: int, annotators: list):
    """Give every sentence of `article_count` new articles a rich annotation by each annotator."""
    for _ in range(article_count):
        n = next(ARTICLE_NUMBERS)
        article = make_article(project, f"Lavrov said {n} things. It rained {n} times.")
        for sentence in article.sentences.all():
            for user in annotators:
                save_annotation(
                    sentence,
                    user,
                    {
                        "status": "submitted",
                        "claim": "claim",
                        "claim_types": ["quantity"],
                        "attributions": [
                            {
                                "speaker": {"name": "Sergey Lavrov", "kind": "person"},
                                "source": {"start": 0, "end": 6},
                            }
                        ]
                        if sentence.text.startswith("Lavrov")
                        else [],
                        "stance": [{"target": TARGET, "label": "neutral"}],
                    },
                )


def test_changelist_query_count_is_constant(client, project, staff, django_assert_num_queries):
    users = [make_member(project) for _ in range(2)]
    fill(project, 1, users)
    client.force_login(staff)
    client.get(CHANGELIST)  # warms Django's content type cache, which lives for the process
    with django_assert_num_queries(14) as small:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4
    fill(project, 8, users)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 36
    # Filters and search do not add queries per row either.
    query = "?claim=claim&stance=neutral&q=lavrov&project=" + str(project.pk)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(CHANGELIST + query)
    assert response.context["cl"].result_count == 18


def test_changelist_filters(client, project, staff, quote_sentence):
    first, second = make_member(project, username="ann"), make_member(project, username="bob")
    save_annotation(quote_sentence, first, LAVROV_NOTED)
    save_annotation(
        quote_sentence, second, {"status": "draft", "claim": "not_claim", "lead_time_ms": 5}
    )
    client.force_login(staff)

    def shown(query: str) -> set[str]:
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {a.annotator.username for a in response.context["cl"].result_list}

    assert shown("") == {"ann", "bob"}
    assert shown(f"?annotator={first.pk}") == {"ann"}
    assert shown("?status=draft") == {"bob"}
    assert shown("?claim=claim") == {"ann"}
    assert shown("?stance=favor") == {"ann"}
    assert shown("?stance=against") == set()
    assert shown(f"?project={project.pk}&kind=annotator") == {"ann", "bob"}
    assert shown("?updated_at__gte=2000-01-01") == {"ann", "bob"}
    # A malformed filter value is refused naming the parameter.
    response = client.get(CHANGELIST + "?project=abc")
    assert response.status_code == 400
    assert response.context["problems"] == ["project: 'abc' is not an id (a whole number)"]


@pytest.mark.parametrize(
    ("path", "query", "problem"),
    [
        ("annotation", {"project": "9" * 25}, f"project: {'9' * 25} is out of range"),
        ("annotation", {"annotator": "-" + "9" * 20}, f"annotator: -{'9' * 20} is out of range"),
        (
            "membership",
            {"project__id__exact": "9" * 20},
            f"project__id__exact: {'9' * 20} is out of range",
        ),
        ("annotation", {"claim": "claim\x00"}, "claim: contains a NUL character"),
        ("speaker", {"kind": "per\x00son"}, "kind: contains a NUL character"),
        ("annotationevent", {"action": "\x00"}, "action: contains a NUL character"),
        ("article", {"q": "Lavrov\x00"}, "q: contains a NUL character"),
        ("sentence", {"kind\x00": "body"}, "kind: contains a NUL character"),
    ],
)
def test_filters_no_database_can_look_up_are_a_400_naming_the_parameter(
    client, project, path, query, problem
):
    """Out-of-range ids failed on SQLite, NUL characters on PostgreSQL, as server errors."""
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.get(reverse(f"admin:claims_{path}_changelist"), query)
    assert response.status_code == 400
    assert response.context["problems"] == [problem]
    assert problem in response.content.decode()


def test_search_over_sentence_text_and_speaker_names_and_aliases(
    client, project, staff, quote_sentence, article
):
    annotator = make_member(project, username="ann")
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    heading = article.sentences.get(index=0)
    save_annotation(heading, annotator, {"status": "submitted", "claim": "not_claim"})
    speaker = quote_sentence.annotations.get().attributions.get().speaker
    speaker.aliases = ["Сергей Лавров", "the Russian top diplomat"]
    speaker.save()
    client.force_login(staff)

    def found(term: str) -> list[int]:
        response = client.get(CHANGELIST, {"q": term})
        return sorted(a.sentence_id for a in response.context["cl"].result_list)

    assert found("clarifying") == [heading.id]
    assert found("sergey lavrov") == [quote_sentence.id]
    assert found("Лавров") == [quote_sentence.id]
    assert found("top diplomat") == [quote_sentence.id]
    assert found("nowhere at all") == []


def test_reviewers_see_only_their_projects(client, project, staff, other_project, quote_sentence):
    save_annotation(quote_sentence, make_member(project, username="ann"), LAVROV_NOTED)
    client.force_login(staff)
    response = client.get(CHANGELIST)
    assert {a.sentence.project_id for a in response.context["cl"].result_list} == {project.pk}
    filters = response.context["cl"].filter_specs
    project_choices = next(f for f in filters if f.parameter_name == "project").lookup_choices
    assert [name for _, name in project_choices] == [project.name]
    annotator_choices = next(f for f in filters if f.parameter_name == "annotator").lookup_choices
    assert "outsider-annotator" not in {name for _, name in annotator_choices}
    elsewhere = Article.objects.get(project=other_project)
    other_annotation = Annotation.objects.get(sentence__project=other_project)
    for url in (
        reverse("admin:claims_article_change", args=[elsewhere.pk]),
        reverse("admin:claims_annotation_change", args=[other_annotation.pk]),
        reverse("admin:claims_project_change", args=[other_project.pk]),
    ):
        # The admin answers "does not exist" for objects outside the reviewer's projects.
        assert client.get(url).status_code == 302
    for name in ("article", "sentence", "project", "speaker", "annotationevent"):
        response = client.get(reverse(f"admin:claims_{name}_changelist"))
        assert response.status_code == 200, name
        assert other_project.name not in response.content.decode()


def test_people_without_a_review_role_cannot_open_the_admin_pages(client, project, annotator):
    staff_outsider = make_user("staff-outsider", is_staff=True)
    client.force_login(staff_outsider)
    assert client.get(CHANGELIST).status_code == 403
    client.force_login(annotator)
    assert client.get(CHANGELIST).status_code == 302  # to the admin login


def test_annotations_are_read_only_and_never_deleted(client, project, quote_sentence):
    annotation = save_annotation(quote_sentence, make_member(project), LAVROV_NOTED)
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse("admin:claims_annotation_change", args=[annotation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Save" not in page.content and b"Sergey Lavrov" in page.content
    assert b"adjudicate" in page.content  # history inline and link to adjudication
    assert client.post(url, {"claim": "not_claim"}).status_code == 403
    delete = reverse("admin:claims_annotation_delete", args=[annotation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:claims_annotation_add")).status_code == 403
    annotation.refresh_from_db()
    assert (annotation.claim, annotation.version) == ("claim", 1)


def test_deleting_an_article_with_annotations_is_refused(client, project, quote_sentence):
    save_annotation(quote_sentence, make_member(project), LAVROV_NOTED)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    article = quote_sentence.article
    delete = reverse("admin:claims_article_delete", args=[article.pk])
    page = client.get(delete)
    assert b"1 annotation(s), 1 of them submitted, with their history" in page.content
    client.post(delete, {"post": "yes"})
    changelist = reverse("admin:claims_article_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    client.post(reverse("admin:claims_project_delete", args=[project.pk]), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()
    assert Annotation.objects.count() == 1
    # An article nobody has submitted work on can go.
    spare = make_article(project, "A spare article. Nothing here.")
    client.post(reverse("admin:claims_article_delete", args=[spare.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=spare.pk).exists()


def test_history_is_listed_read_only(client, project, staff, quote_sentence):
    annotator = make_member(project, username="ann")
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    save_annotation(quote_sentence, annotator, {**LAVROV_NOTED, "claim": "checkworthy"}, 1)
    client.force_login(staff)
    response = client.get(reverse("admin:claims_annotationevent_changelist"))
    rows = [(e.action, e.version) for e in response.context["cl"].result_list]
    assert rows == [("update", 2), ("create", 1)]
    assert b"claim" in response.content  # the "changed" column
    event = response.context["cl"].result_list[0]
    detail = client.get(reverse("admin:claims_annotationevent_change", args=[event.pk]))
    assert b"claim: &quot;checkworthy&quot;" in detail.content
    assert (
        client.post(
            reverse("admin:claims_annotationevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_article_page_shows_each_sentences_state_without_a_query_per_sentence(
    client, project, staff, django_assert_num_queries
):
    project.annotations_per_sentence = 2
    project.save()
    ann, bob = make_member(project, username="ann"), make_member(project, username="bob")
    article = make_article(project, "One. Two. Three.", "small")
    one, two, three = article.sentences.order_by("index")
    for user in (ann, bob):
        save_annotation(one, user, {"status": "submitted", "claim": "claim"})
    save_annotation(two, ann, {"status": "submitted", "claim": "claim"})
    save_annotation(two, bob, {"status": "submitted", "claim": "not_claim"})
    gold_adopt(annotation=two.annotations.get(annotator=ann), reviewer=staff, version=None)
    client.force_login(staff)
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.get(url)  # warms Django's content type cache, which lives for the process
    with django_assert_num_queries(14) as small:
        page = client.get(url).content.decode()
    assert "2 / 2" in page and "agree" in page
    assert "disagree on claim; adjudicated" in page
    assert "0 / 2" in page and "no submitted annotation" in page
    assert page.count("adjudicate</a>") == 3

    longer = make_article(project, " ".join(f"Sentence {n}." for n in range(30)), "long")
    for sentence in longer.sentences.all():
        for user in (ann, bob):
            save_annotation(sentence, user, {"status": "submitted", "claim": "claim"})
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("admin:claims_article_change", args=[longer.pk]))


def test_an_articles_page_shows_its_sentences_a_page_at_a_time(
    client, project, staff, django_assert_num_queries
):
    article = make_article(project, " ".join(f"Sentence {n}." for n in range(250)), "long")
    client.force_login(staff)
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.get(url)
    with django_assert_num_queries(14) as first:
        page = client.get(url).content.decode()
    assert "Sentences 1–50 of 250 · page 1 of 5" in page
    assert 'href="?sentences=2">next ›' in page and "previous" not in page
    assert page.count("adjudicate</a>") == 50 and "<p>Sentence 49.</p>" in page
    assert "<p>Sentence 50.</p>" not in page
    with django_assert_num_queries(len(first.captured_queries)):
        last = client.get(url + "?sentences=5").content.decode()
    assert "Sentences 201–250 of 250 · page 5 of 5" in last and "<p>Sentence 249.</p>" in last
    assert last.count("adjudicate</a>") == 50 and "next ›" not in last
    beyond = client.get(url + "?sentences=99").content.decode()
    assert "page 5 of 5" in beyond
    # Saving a page saves the sentences it showed (reviewers only view articles; a superuser).
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password")
    )
    page_two = client.get(url + "?sentences=2")
    form = page_two.context["adminform"].form.initial
    data = {k: v for k, v in form.items() if v is not None and k in ("title", "source", "url")}
    formset = page_two.context["inline_admin_formsets"][0].formset
    data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
    for n, sentence_form in enumerate(formset.forms):
        data[f"{formset.prefix}-{n}-id"] = sentence_form.instance.pk
        data[f"{formset.prefix}-{n}-article"] = article.pk
        data[f"{formset.prefix}-{n}-kind"] = "heading" if n == 0 else sentence_form.instance.kind
    response = client.post(url + "?sentences=2", {**data, "meta": "{}"})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert article.sentences.get(index=50).kind == "heading"
    assert article.sentences.filter(kind="heading").count() == 1


def test_a_long_text_is_shown_by_its_start(client, project, staff):
    article = make_article(project, "A sentence that runs on. " * 2000, "wordy")
    client.force_login(staff)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert "the first 20,000 of 50,000 characters" in page
    assert f"/api/v1/articles/{article.pk}/text/" in page


def test_reviewers_see_the_review_links(client, project, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:claims_project_change", args=[project.pk])).content
    assert reverse("admin:claims_project_agreement", args=[project.pk]).encode() in page
    listing = client.get(reverse("admin:claims_project_changelist")).content
    assert reverse("admin:claims_project_disagreements", args=[project.pk]).encode() in listing


def test_sentence_admin_bulk_action_makes_gold_from_unanimous(client, project, staff):
    project.annotations_per_sentence = 2
    project.save()
    ann, bob = make_member(project), make_member(project)
    sentences = list(make_article(project, "One. Two.").sentences.order_by("index"))
    for sentence in sentences:
        for user in (ann, bob):
            save_annotation(sentence, user, {"status": "submitted", "claim": "claim"})
    client.force_login(staff)
    response = client.post(
        reverse("admin:claims_sentence_changelist"),
        {"action": "make_gold_from_unanimous_sentences", "_selected_action": [sentences[0].pk]},
        follow=True,
    )
    assert "Made gold for 1 unanimous sentence(s)." in response.content.decode()
    gold = Sentence.objects.filter(annotations__kind=AnnotationKind.GOLD)
    assert list(gold) == [sentences[0]]


def test_project_admin_bulk_action_makes_gold_from_all_unanimous(client, project, staff):
    ann, bob = make_member(project), make_member(project)
    sentences = list(make_article(project, "One. Two. Three.").sentences.order_by("index"))
    for sentence in sentences:
        for user in (ann, bob):
            claim = "checkworthy" if sentence.index == 2 and user == bob else "claim"
            save_annotation(sentence, user, {"status": "submitted", "claim": claim})
    client.force_login(staff)
    response = client.post(
        reverse("admin:claims_project_changelist"),
        {"action": "make_gold_from_unanimous", "_selected_action": [project.pk]},
        follow=True,
    )
    job = Job.objects.get()
    assert [str(m) for m in response.context["messages"]] == [
        f'{project}: Made gold for 2 unanimous sentence(s). (<a href="{job.get_absolute_url()}">'
        f"job {job.pk}</a>)"
    ]
    gold = Sentence.objects.filter(annotations__kind=AnnotationKind.GOLD).order_by("index")
    assert list(gold) == sentences[:2]


@pytest.mark.parametrize("superuser", [True, False])
def test_every_claims_admin_page_answers(client, project, quote_sentence, superuser):
    annotation = save_annotation(quote_sentence, make_member(project), LAVROV_NOTED)
    user = make_user("root", is_staff=True, is_superuser=True) if superuser else None
    user = user or staff_reviewer(project, "rita")
    gold_adopt(annotation=annotation, reviewer=user, version=None)
    client.force_login(user)
    objects = {
        "project": project,
        "article": quote_sentence.article,
        "sentence": quote_sentence,
        "annotation": annotation,
        "annotationevent": annotation.events.first(),
        "speaker": annotation.attributions.get().speaker,
    }
    for name, obj in objects.items():
        for url in (
            reverse(f"admin:claims_{name}_changelist"),
            reverse(f"admin:claims_{name}_change", args=[obj.pk]),
            reverse(f"admin:claims_{name}_history", args=[obj.pk]),
        ):
            assert client.get(url).status_code == 200, url
    add = client.get(reverse("admin:claims_project_add")).status_code
    assert add == (200 if superuser else 403)
    # Reviewers curate their projects' speakers.
    assert client.get(reverse("admin:claims_speaker_add")).status_code == 200
    assert client.get(reverse("admin:claims_speakermerge_changelist")).status_code == 200
    # Articles come in through import (their sentences are offsets into the text).
    for name in ("article", "sentence", "annotation", "annotationevent"):
        assert client.get(reverse(f"admin:claims_{name}_add")).status_code == 403, name
    assert client.get("/admin/").status_code == 200
    for name in ("agreement", "disagreements"):
        url = reverse(f"admin:claims_project_{name}", args=[project.pk])
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"page": "x", "adjudicated": "1"}).status_code == 200, url
    # A project with no data: empty figures for a superuser, "not found" for rita (not in it).
    empty = reverse("admin:claims_project_agreement", args=[make_project("empty").pk])
    assert client.get(empty).status_code == (200 if superuser else 404)


def test_sentences_are_numbered_from_one_every_sentence_counted(client, project, staff, article):
    client.force_login(staff)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk]))
    inline = page.context["inline_admin_formsets"][0]
    numbers = [line.form.instance.number for line in inline]
    assert numbers == [1, 2, 3]  # heading, quote, second sentence
    listed = client.get(reverse("admin:claims_sentence_changelist"), {"o": "3"})
    assert '<td class="field-number">1</td>' in listed.content.decode()
