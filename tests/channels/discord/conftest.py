from tests.channels.telegram.loopback import loopback  # noqa: F401  (a fixture)
