"""Instagram professional accounts (Business and Creator), through Meta's Graph API."""
