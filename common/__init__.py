"""What every runtime of the assistant shares (Rasa actions on Python 3.10, web services on 3.11): stdlib only."""
