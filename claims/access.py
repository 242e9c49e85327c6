"""Who may see and do what in a project: members by role, superusers everywhere.

The staff flag only opens the Django admin (reviewers need it to adjudicate there); it gives
no access to projects the user is not a member of.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from claims.models import AnnotationKind, Article, Membership, Project, Role, Sentence


def role_in(project: Project, user) -> str | None:
    """Return the user's role in the project ('reviewer' for superusers), or None for outsiders."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.REVIEWER
    membership = Membership.objects.filter(project=project, user=user).only("role").first()
    return membership and membership.role


def projects_visible_to(user):
    """Return the projects the user may open."""
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def project_for(user, slug: str) -> tuple[Project, str]:
    """Return the project and the user's role, or raise 404 for anyone not in it."""
    project = Project.objects.filter(slug=slug).first()
    role = project and role_in(project, user)
    if not role:
        raise Http404("No such project.")
    return project, role


def sentence_for(user, sentence_id: int) -> tuple[Sentence, str]:
    """Return the sentence (with its project) and the user's role, or raise 404 for outsiders."""
    sentence = Sentence.objects.select_related("project").filter(pk=sentence_id).first()
    role = sentence and role_in(sentence.project, user)
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
    """Raise 403 unless the role may see everything in the project (reviewers and staff)."""
    if role != Role.REVIEWER:
        raise PermissionDenied("Only the project's reviewers may do this.")


def annotations_visible_to(queryset, user, role: str):
    """Narrow annotations to what the role may read: reviewers all, annotators their own."""
    if role == Role.REVIEWER:
        return queryset
    return queryset.filter(annotator=user, kind=AnnotationKind.ANNOTATOR)


def annotation_visible(annotation, user, role: str) -> bool:
    """Return whether the role may read this annotation (the rule of annotations_visible_to)."""
    if role == Role.REVIEWER:
        return True
    return annotation.annotator_id == user.pk and annotation.kind == AnnotationKind.ANNOTATOR
