"""XHHT — the system of record for Vietnam's learning-society programme (xây dựng xã hội học tập)."""

__version__ = "0.1.0"
