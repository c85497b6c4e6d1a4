"""Back-office sandbox: a stand-in for the utility's customer information system.

It serves the HTTP API the assistant's actions call (contract:
docs/backoffice_api.md) over a seeded database of customers, bills, planned
outages and requests. A real back office plugs in behind the same API.
"""

API_VERSION = "2.0.0"  # issue 9: request lookups need the phone's last 4 digits (POST), random request codes
