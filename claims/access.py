"""Who may see and do what in a project: members by role, staff everywhere."""

from django.http import Http404

from claims.models import Membership, Project, Role, Sentence


def role_in(project: Project, user) -> str | None:
    """Return the user's role in the project ('reviewer' for staff), or None for outsiders."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return Role.REVIEWER
    membership = Membership.objects.filter(project=project, user=user).only("role").first()
    return membership and membership.role


def projects_visible_to(user):
    """Return the projects the user may open."""
    if user.is_staff:
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
