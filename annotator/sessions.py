"""Sessions in the database, as Django's own engine keeps them, read with a query compiled once.

Every request of a signed-in user reads its session, and Django compiles that lookup anew each
time; this engine runs the same lookup prepared once per process (claims.prepared). The rows,
their expiry and what logging out does are Django's (`django.contrib.sessions.backends.db`):
a session deleted or expired in the database is gone for every app server at once.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from claims.prepared import Prepared

SESSION = Prepared(lambda key: Session.objects.filter(session_key=key)[:1], key=str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        found = SESSION.first(key=self.session_key) if self.session_key else None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
