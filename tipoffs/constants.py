"""Limits and deadlines of the tip-off system (task 25). One place: forms, services, views and
reminders read them from here."""

import datetime

# The tracking code: secrets.token_urlsafe(24) = 32 URL-safe characters (192 random bits). Only
# its sha256 is stored, so a copy of the database does not hand out the codes.
TRACKING_CODE_BYTES = 24
TRACKING_CODE_MAX_LENGTH = 64  # what the status form accepts at most

# Size limits of one public submission.
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 2000
ADDRESS_MAX = 200
ENTERPRISE_NAME_MAX = 120
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# The whole request body (photos + text) is refused above this, before Django parses it.
MAX_SUBMISSION_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024
EARLIEST_OBSERVED_ON = datetime.date(2000, 1, 1)

# Rate limits (django-ratelimit notation: count/period), counted in the database cache.
SUBMIT_RATE_PER_IP = "5/h"  # submissions per client address and hour
SUBMIT_BURST_PER_IP = "2/m"  # … and per minute
STATUS_RATE_PER_IP = "30/h"  # status look-ups per client address (guessing codes)
STATUS_RATE_PER_CODE = "20/h"  # look-ups of one code (a code passed around)

# Deadlines per step (calendar days from entering the step, Asia/Shanghai dates).
TRIAGE_DAYS = 3  # received → triaged (assigned, duplicate, not in scope)
START_VERIFY_DAYS = 3  # assigned → verification started by the department
VERIFY_DAYS = 15  # verifying → verified / not verified
CLOSE_DAYS = 5  # verified / not verified → closed with the public reply
REMIND_DAYS_BEFORE = (1,)  # reminders the day before a step's deadline (and when overdue)

# The role the office names for reading reporter identities (an auth Group holding
# tipoffs.view_reporter_identity; admins add the 举报受理人 to it).
RECEIVER_GROUP = "举报受理人"

REWARD_MAX_YUAN = 1_000_000
