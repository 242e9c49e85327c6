"""Sentences in the admin: the article's inline with review state, and the sentence list.

Sentences are shown by number: their place in the article from 1, every sentence counted
(Sentence.number); the labeling and review pages use the same numbers.
"""

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


class SentenceStateFormSet(BaseInlineFormSet):
    """Attach each sentence's review state, computed for the whole article in a few queries."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            sentences = super().get_queryset()
            article = self.instance
            states = sentence_states(article.project, sentences) if article.pk else {}
            wanted = article.project.annotations_per_sentence if article.pk else 1
            for sentence in sentences:
                sentence.review_state = states.get(sentence.pk)
                sentence.wanted = wanted
        return self._queryset


class SentenceInline(ReviewerMayView, admin.TabularInline):
    model = Sentence
    formset = SentenceStateFormSet
    fields = ["number", "kind", "text", "annotations", "agreement", "review"]
    readonly_fields = ["number", "text", "annotations", "agreement", "review"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

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
