"""Back-office sandbox: a stand-in for the utility's customer information system.

It serves the HTTP API the assistant's actions call (contract:
docs/backoffice_api.md) over a seeded database of customers, bills, planned
outages and requests. A real back office plugs in behind the same API.
"""

API_VERSION = "2.1.0"  # 2.1.0: expected_restoration_at on outage reports; 2.0.0 (issue 9): request lookups need the phone digits
