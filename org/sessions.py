"""The session engine: Django's database sessions, the session read compiled once (core.prepared).

Every signed-in request reads its session; Django compiles that query anew each time (a third of a
plain request's CPU went to the session, the user and the second-step device). Here the row is
found by its key with a prepared read and its expiry checked in Python, which is what Django's
`expire_date__gt=now()` filter does in SQL. Writes, expiry and clean-up are Django's.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import PreparedRead

_SESSION_BY_KEY: PreparedRead[Session] = PreparedRead(lambda key: Session.objects.filter(session_key=key))


class SessionStore(DbSessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        row = _SESSION_BY_KEY.first(key) if key else None
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None
            return None
        return row
