"""Sentences in the admin: the article's inline with review state, and the sentence list.

Sentences are shown by number: their place in the article from 1, every sentence counted
(Sentence.number); the labeling and review pages use the same numbers.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.admin import review
from claims.admin.filters import ProjectFilter
from claims.admin.scoping import KeepsAnnotations, ProjectScopedAdmin, ReviewerMayView
from claims.models import Project, Sentence
from claims.quality.disagreements import sentence_states


def adjudicate_url(sentence_id: int) -> str:
    return reverse("admin:claims_sentence_adjudicate", args=[sentence_id])


# An article's page shows this many of its sentences at a time (an article may have
# hundreds of thousands: all of them made a page of tens of megabytes).
SENTENCES_PER_PAGE = 50
PAGE_PARAMETER = "sentences"


@dataclass(frozen=True)
class SentencePage:
    """Which of the article's sentences its page shows, and the links to the others."""

    number: int
    pages: int
    first: int  # sentence numbers, from 1
    last: int
    total: int

    def url(self, number: int) -> str:
        return f"?{PAGE_PARAMETER}={number}"

    @property
    def label(self) -> str:
        if not self.total:
            return "No sentences"
        shown = f"Sentences {self.first:,}–{self.last:,} of {self.total:,}"
        return shown + (f" · page {self.number:,} of {self.pages:,}" if self.pages > 1 else "")

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None


def page_asked(request) -> int:
    value = request.GET.get(PAGE_PARAMETER, "1")
    return int(value) if value.isdigit() and len(value) < 10 else 1


class SentenceStateFormSet(BaseInlineFormSet):
    """One page of the article's sentences, each with its review state (a few queries)."""

    page_number = 1

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            article = self.instance
            sentences = super().get_queryset().order_by("index")
            total = sentences.count() if article.pk else 0
            pages = max(1, -(-total // SENTENCES_PER_PAGE))
            number = min(self.page_number, pages)
            start = (number - 1) * SENTENCES_PER_PAGE
            shown = list(sentences[start : start + SENTENCES_PER_PAGE])
            states = sentence_states(article.project, shown) if article.pk else {}
            wanted = article.project.annotations_per_sentence if article.pk else 1
            for sentence in shown:
                sentence.review_state = states.get(sentence.pk)
                sentence.wanted = wanted
            self.page = SentencePage(number, pages, start + 1, start + len(shown), total)
            self._queryset = shown
        return self._queryset

    @property
    def sentence_page(self) -> SentencePage:
        self.get_queryset()
        return self.page


class SentenceInline(ReviewerMayView, admin.TabularInline):
    model = Sentence
    formset = SentenceStateFormSet
    fields = ["number", "kind", "text", "annotations", "agreement", "review"]
    readonly_fields = ["number", "text", "annotations", "agreement", "review"]
    extra = 0
    can_delete = False
    template = "admin/claims/article/sentences_inline.html"

    def has_add_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The page is part of the URL, so a save posts back the forms it showed.
        return type(formset.__name__, (formset,), {"page_number": page_asked(request)})

    @admin.display(description="number")
    def number(self, sentence):
        return sentence.number

    @admin.display(description="submitted")
    def annotations(self, sentence):
        state = getattr(sentence, "review_state", None)
        return f"{state.submitted if state else 0} / {getattr(sentence, 'wanted', 1)}"

    @admin.display(description="agreement")
    def agreement(self, sentence):
        state = getattr(sentence, "review_state", None)
        return state.label if state else "no submitted annotation"

    @admin.display(description="review")
    def review(self, sentence):
        if not sentence.pk:
            return "-"
        return format_html('<a href="{}">adjudicate</a>', adjudicate_url(sentence.pk))


@admin.action(
    description="Make gold from unanimous sentences among those selected", permissions=["view"]
)
def make_gold_from_unanimous_sentences(modeladmin, request, queryset):
    for project in Project.objects.filter(pk__in=queryset.values("project_id")).order_by("name"):
        chosen = queryset.filter(project=project)
        review.gold_from_unanimous_started(request, project, chosen)


@admin.register(Sentence)
class SentenceAdmin(KeepsAnnotations, ProjectScopedAdmin):
    annotation_lookup = "sentence"
    list_display = ["short_text", "article_title", "number", "kind", "review"]
    list_filter = [ProjectFilter, "kind"]
    list_select_related = ["article"]
    search_fields = ["text"]
    readonly_fields = ["project", "article", "number", "start", "end", "text", "review"]
    actions = [make_gold_from_unanimous_sentences]

    def get_urls(self):
        view = partial(review.adjudicate_page, self)
        return [
            path(
                "<int:sentence_id>/adjudicate/",
                self.admin_site.admin_view(view),
                name="claims_sentence_adjudicate",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        # Sentences come only from segmenting an imported article (offsets must match its text).
        return False

    @admin.display(description="article", ordering="article__title")
    def article_title(self, sentence):
        return Truncator(str(sentence.article)).chars(60)  # a column of its own would not wrap

    @admin.display(description="number", ordering="index")
    def number(self, sentence):
        return sentence.number

    @admin.display(description="sentence", ordering="text")
    def short_text(self, sentence):
        return Truncator(sentence.text).chars(90)

    @admin.display(description="review")
    def review(self, sentence):
        return format_html('<a href="{}">adjudicate</a>', adjudicate_url(sentence.pk))
