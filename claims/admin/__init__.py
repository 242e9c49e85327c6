"""Django admin for curators: projects, articles, annotations, history, and the review pages.

Who sees what is described in claims/admin/scoping.py.
"""

from django.contrib import admin

from claims.admin import annotations, projects, sentences, speakers

admin.site.site_header = "Claims annotator: curation"
admin.site.site_title = "Claims annotator"
admin.site.index_title = "Projects, annotations and review"

__all__ = ["annotations", "projects", "sentences", "speakers"]
