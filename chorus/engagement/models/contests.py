"""Engagement: contests and their draws' tables."""
