"""Django admin for curators: projects, articles, speakers and annotations."""

from claims.admin import annotations, projects

__all__ = ["annotations", "projects"]
