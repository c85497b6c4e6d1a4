"""Custom actions of the assistant (rasa-sdk), served by `rasa run actions`."""
