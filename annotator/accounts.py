"""Django's username and password backend, reading the signed-in user with a prepared query.

Every request of a signed-in user reads their row (django.contrib.auth.get_user); Django
compiles that lookup anew each time, this backend runs it compiled once per process
(claims.prepared). Passwords, permissions and who may sign in are Django's ModelBackend's.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from claims.prepared import Prepared

USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk)[:1], pk=int)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = USER.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
