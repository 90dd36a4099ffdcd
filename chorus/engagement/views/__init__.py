"""Engagement pages, one module per family."""
