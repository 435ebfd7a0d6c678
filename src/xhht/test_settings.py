"""Settings for the test suite: the testing profile on a random key of its own.

Production mode refuses the demo key whatever XHHT_TESTING says, so the suite (and any command it
starts, which inherits the environment) runs on a fresh random key.
"""

import os
import secrets

os.environ.setdefault("XHHT_TESTING", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from xhht.settings import *  # noqa: E402, F403
