"""The action server of the assistant: rasa-sdk's app behind our own guards (action_server/app.py)."""
