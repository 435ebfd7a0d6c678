import os

# Tests run with the testing profile (demo secret allowed, fast password hashing for fixtures).
os.environ.setdefault("XHHT_TESTING", "1")
