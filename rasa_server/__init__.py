"""The assistant's Rasa server: Rasa Open Source started in-process with our run-time patches.

    .venv-rasa/bin/python -m rasa_server [extra `rasa run` options]

`launcher` builds the `rasa run` options from the environment (the API token from
``RASA_AUTH_TOKEN``, never from the command line) and serves; `patches` holds the patches of
the installed Rasa, checked against the Rasa they were written for (``RASA_SERVER_PATCHES=off``
serves Rasa unpatched). This package is not a training input: changing it never retrains.
"""
