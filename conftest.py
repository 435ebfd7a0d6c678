import os
import secrets

# Tests run with the testing profile (fast password hashing for fixtures) on a random key of their
# own (production mode refuses the demo key); pyproject points pytest at xhht.test_settings, which
# does the same before Django starts.
os.environ.setdefault("XHHT_TESTING", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
