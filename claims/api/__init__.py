"""The JSON API (Django REST framework), mounted at /api/v1/."""
