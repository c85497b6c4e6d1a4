"""Plumbing shared by our Python 3.11 web services (back-office sandbox, web app): database engines, JSON errors."""
