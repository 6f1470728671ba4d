"""Who may see what: the one place that turns a user into the set of records they may reach.

Every app's QuerySet ``visible_to(user)`` starts from :func:`scope_for`:

- safety office and admins see everything;
- township officials see their own township (属地);
- department staff see the sectors their department leads (行业, 保障措施（二）) — and, for
  records that name a department directly, their own department.

Records outside a user's scope are answered with 404, never 403 (don't reveal they exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaigns.org.models import Role, Sector


@dataclass(frozen=True)
class Scope:
    """What one user may see. ``everything`` wins over the id sets; an empty scope sees nothing."""

    everything: bool = False
    township_ids: frozenset[int] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    sector_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.township_ids or self.department_ids or self.sector_ids)


def scope_for(user) -> Scope:
    """The :class:`Scope` of ``user`` (anonymous, inactive or role-less users see nothing).

    Cached on the user object for the request; one query for department staff (their sectors).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_yixian_scope", None)
    if cached is not None:
        return cached
    if user.role in (Role.SAFETY_OFFICE, Role.ADMIN) or user.is_superuser:
        scope = Scope(everything=True)
    elif user.role == Role.TOWNSHIP_OFFICIAL and user.township_id:
        scope = Scope(township_ids=frozenset({user.township_id}))
    elif user.role == Role.DEPARTMENT_STAFF and user.department_id:
        sectors = Sector.objects.filter(lead_departments=user.department_id)
        scope = Scope(
            department_ids=frozenset({user.department_id}),
            sector_ids=frozenset(sectors.values_list("pk", flat=True)),
        )
    else:
        scope = Scope()
    user._yixian_scope = scope
    return scope
