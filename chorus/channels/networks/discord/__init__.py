"""Discord: an incoming webhook posting in one channel (or its threads) of a server."""
