"""Listening: the brand's queries, the sources heard, the mentions found, spikes and crises."""
