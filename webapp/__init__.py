"""The project's web app (127.0.0.1:8000): knowledge-base API and, in later issues, admin pages, channels, staff console."""
