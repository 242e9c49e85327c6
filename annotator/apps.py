from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Labeling pages"

    def ready(self):
        from annotator import checks  # noqa: F401 - registers the deploy checks
