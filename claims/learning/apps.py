from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "claims.learning"
    label = "learning"
    verbose_name = "Suggestion models"
