"""Small database expressions shared by the campaigns reads (PostgreSQL)."""

from django.db.models import Func, IntegerField, Subquery


class DaysBetween(Func):
    """``later - earlier`` in whole days (PostgreSQL: date - date is an integer)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class SubqueryCount(Subquery):
    """``(SELECT count(*) FROM (<subquery>))`` — a correlated count without GROUP BY tricks."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()
