"""The token never appears in the bot's process log (issue 15), not even when an error that
carries it is logged with its traceback: `python -m bot` in its own process, with a fault that
puts the token in an exception's text, its cause's and a discord.py log line
(tests/e2e/token_leak_main.py)."""

from __future__ import annotations

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.process import BotProcess

APOLOGY = text.INTERNAL_ERROR.split("(")[0]  # "Sorry, something went wrong on my side "


async def test_a_logged_error_carrying_the_token_shows_it_redacted(
    bot_process: BotProcess, discord_server: FakeDiscord, driver: Driver, world: CoproWorld
) -> None:
    bot_process.env["FAKEDISCORD_MAIN"] = "tests.e2e.token_leak_main:main"
    await bot_process.start()
    reply = await driver.slash(world.rhian, "network stats")
    assert reply.ephemeral and APOLOGY in reply.text  # the member gets the apology only
    await discord_server.wait_for(
        lambda: "could not read the network figures" in bot_process.output(),
        10,
        message=lambda: f"the error was never logged:\n{bot_process.output()}",
    )
    assert await bot_process.terminate(timeout=10) == 0
    output = bot_process.output()
    assert "unexpected error [" in output and "Traceback (most recent call last)" in output
    assert "ConnectionError: refused Bot [token]" in output
    assert "RuntimeError: could not read the network figures with [token]" in output
    assert "retrying with Authorization: Bot [token]" in output
    secret = discord_server.token
    assert secret not in output
    assert secret.rsplit(".", 1)[1] not in output
