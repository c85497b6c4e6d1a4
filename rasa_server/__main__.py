"""`python -m rasa_server`: see rasa_server.launcher."""

import sys

from rasa_server.launcher import main

if __name__ == "__main__":
    sys.exit(main())
