"""Action rights of supervision and escalation (visibility itself is ``visible_to``).

The listing body (县政府 or 县安委会办公室) acts on this platform through safety-office users: they
list hazards, sign off closure of listed hazards, delist, decide extensions of listed hazards and
decide escalation steps. Extensions of other hazards are decided by a supervisor of the hazard
(hazards.permissions.is_supervisor) — never by the user who requested them.
"""

from __future__ import annotations

from hazards.permissions import can_rectify, is_supervisor


def can_list(user) -> bool:
    """List a hazard for supervision (挂牌督办)."""
    return user.has_perm("enforcement.add_listing")


def acts_for_listing_body(user) -> bool:
    """Sign off closure of a listed hazard, delist (摘牌), decide its extensions."""
    return user.has_perm("enforcement.sign_off_listing")


def can_report_progress(user, listing) -> bool:
    return user.has_perm("enforcement.add_listingprogressreport") and can_rectify(
        user, listing.hazard
    )


def can_request_extension(user, hazard) -> bool:
    return user.has_perm("enforcement.add_extensionrequest") and can_rectify(user, hazard)


def can_decide_extension(user, extension) -> bool:
    if not user.has_perm("enforcement.decide_extensionrequest"):
        return False
    if extension.requested_by_id == user.pk:
        return False
    if extension.listing_id and extension.listing.is_active:
        return acts_for_listing_body(user)
    return is_supervisor(user, extension.hazard)


def can_decide_escalation(user) -> bool:
    return user.has_perm("enforcement.decide_escalationstep")


def can_evaluate_escalation(user) -> bool:
    return user.has_perm("enforcement.decide_escalationstep")


def can_export(user) -> bool:
    return user.has_perm("enforcement.export_listing")
