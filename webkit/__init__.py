"""Plumbing shared by our Python 3.11 web services (back-office sandbox, web app, later the gateway): database
engines, the error contract (errors.py), request guards, the accounts (accounts/: users, sessions, CSRF, sign-in)
and the pages' library of native ES modules (static/js/, served at /kit/js/)."""
