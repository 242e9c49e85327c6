"""Who may see and do what in a project: the one place the rules are written.

- An annotator of a project sees the project, its articles and sentences, and only their own
  annotations (labeling is blind).
- A reviewer of a project also sees everyone's annotations, measures agreement, adjudicates
  gold, imports and exports, and curates speakers (in the admin, for their projects only).
- A superuser is a reviewer of every project.
- Everyone else, staff included, is an outsider: the project does not exist for them (404).
  The staff flag only opens the Django admin, which reviewers need; it grants no project.

The API declares these rules with permission classes (claims.api.permissions), the pages and
the admin ask the functions below.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from claims.models import AnnotationKind, Article, Membership, Project, Role, Sentence
from claims.prepared import Prepared


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_in(project: Project, user) -> str | None:
    """Return the user's role in the project (superusers review every one), None for outsiders."""
    if not is_signed_in(user):
        return None
    if user.is_superuser:
        return Role.REVIEWER
    membership = Membership.objects.filter(project=project, user=user).only("role").first()
    return membership and membership.role


def may_review(user, project: Project) -> bool:
    return role_in(project, user) == Role.REVIEWER


def projects_visible_to(user) -> QuerySet[Project]:
    """Return the projects the user may open."""
    if not is_signed_in(user):
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def reviewed_projects(user) -> QuerySet[Project]:
    """Return the projects the user reviews."""
    if not is_signed_in(user) or user.is_superuser:
        return projects_visible_to(user)
    return Project.objects.filter(memberships__user=user, memberships__role=Role.REVIEWER)


def with_role(queryset: QuerySet, user_id: int, project: str = "pk") -> QuerySet:
    """Annotate each row with `member_role`: the user's role in the project that the field
    `project` of the row names (None where they are not a member)."""
    role = Membership.objects.filter(project=OuterRef(project), user_id=user_id).values("role")
    return queryset.annotate(member_role=Subquery(role[:1]))


def role_of(project: Project | None, user) -> str | None:
    """Return the role of the user in a project read through `with_role`."""
    if project is None or not is_signed_in(user):
        return None
    return Role.REVIEWER if user.is_superuser else project.member_role


# Every API request and page of a project runs one of these two: compiled once (claims.prepared).
PROJECT_WITH_ROLE = Prepared(
    lambda slug, user: with_role(Project.objects.filter(slug=slug), user)[:1], slug=str, user=int
)
SENTENCE_WITH_ROLE = Prepared(
    lambda pk, user: with_role(
        Sentence.objects.select_related("project").filter(pk=pk), user, project="project_id"
    )[:1],
    pk=int,
    user=int,
)


def project_for(user, slug: str) -> tuple[Project, str]:
    """Return the project and the user's role, or raise 404 for anyone not in it (one query)."""
    project = PROJECT_WITH_ROLE.first(slug=slug, user=user.pk)
    role = role_of(project, user)
    if not role:
        raise Http404("No such project.")
    return project, role


def sentence_for(user, sentence_id: int) -> tuple[Sentence, str]:
    """Return the sentence (with its project) and the user's role, or raise 404 for outsiders."""
    sentence = SENTENCE_WITH_ROLE.first(pk=sentence_id, user=user.pk)
    if sentence is not None:
        sentence.project.member_role = sentence.member_role
    role = role_of(sentence and sentence.project, user)
    if not role:
        raise Http404("No such sentence.")
    return sentence, role


def article_for(user, article_id: int) -> tuple[Article, str]:
    """Return the article (with its project) and the user's role, or raise 404 for outsiders."""
    article = Article.objects.select_related("project").filter(pk=article_id).first()
    role = article and role_in(article.project, user)
    if not role:
        raise Http404("No such article.")
    return article, role


def require_reviewer(role: str | None) -> None:
    """Raise PermissionDenied unless the role may review the project."""
    if role != Role.REVIEWER:
        raise PermissionDenied("Only the project's reviewers may do this.")


def annotations_visible_to(queryset, user, role: str):
    """Narrow annotations to what the role may read: reviewers all, annotators their own."""
    if role == Role.REVIEWER:
        return queryset
    return queryset.filter(annotator=user, kind=AnnotationKind.ANNOTATOR)


def annotation_visible(annotation, user, role: str | None) -> bool:
    """Return whether the role may read this annotation (the rule of annotations_visible_to)."""
    if role == Role.REVIEWER:
        return True
    return (
        role is not None
        and annotation.annotator_id == user.pk
        and annotation.kind == AnnotationKind.ANNOTATOR
    )
