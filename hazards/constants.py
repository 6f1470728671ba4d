"""Bounds of the ledger's inputs (issue 15: every input bounded). The earliest date is the plan's
``campaigns.constants.EARLIEST_FOUND_ON`` (2000-01-01)."""

import datetime

# The latest date any ledger input (import cells, filters) accepts.
LATEST_DATE = datetime.date(2100, 12, 31)
