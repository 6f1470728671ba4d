from .inspections import report  # noqa: F401
