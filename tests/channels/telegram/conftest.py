from tests.channels.telegram.loopback import loopback  # noqa: F401  (a fixture)
from tests.channels.telegram.telegram_bot import bot_api, telegram  # noqa: F401  (fixtures)
