"""Engagement: polls' and open questions' tables."""
