"""Bounds of the ledger's inputs (issue 15: every input bounded). The earliest date is the plan's
``campaigns.constants.EARLIEST_FOUND_ON`` (2000-01-01)."""

import datetime

# The latest date any ledger input (import cells, filters) accepts.
LATEST_DATE = datetime.date(2100, 12, 31)

# A hazard's description: printed on the supervision notice (督办通知书), whose PDF rendering
# cost grows steeply with the text (6,000 characters took 36 s of CPU; 2,000 take ~2 s).
DESCRIPTION_MAX = 2000
