"""Jiceng (基层): a platform for the daily work of Chinese county and township administrations."""

__version__ = "0.1.0"
