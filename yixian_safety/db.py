"""Small database expressions shared by the campaigns reads (PostgreSQL and SQLite)."""

from django.db.models import Func, IntegerField, Subquery


class DaysBetween(Func):
    """``later - earlier`` in whole days (PostgreSQL: date - date is an integer; SQLite stores
    dates as text, so the difference goes through julianday())."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class SubqueryCount(Subquery):
    """``(SELECT count(*) FROM (<subquery>))`` — a correlated count without GROUP BY tricks."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()
