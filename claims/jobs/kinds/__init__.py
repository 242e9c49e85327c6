"""Every job kind, imported when the app is ready (in the worker and in the web processes).

Add a module per kind (or per area) and import it here.
"""

from claims.jobs.kinds import gold, learning, quality

__all__ = ["gold", "learning", "quality"]
