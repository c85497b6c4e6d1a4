"""The integration tests use the session stack of tests/conftest.py (``running_stack``)."""
