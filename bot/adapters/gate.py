"""The door a member's interaction comes through: who is acting, and how often.

* `actor_of`: the acting member with their server-wide permissions (their roles', @everyone's,
  everything for the owner or an Administrator). `interaction.permissions` are the member's
  permissions in the channel the command was typed in, overwrites included: a channel that
  grants Manage Events would make anyone an organiser there, and one that denies it would
  make an organiser none. SPEC: "the organiser check uses the member's server-wide
  permissions (or the organiser role), never one channel's overwrites".
* `RateGate`: every command, button, select and form submission a member sends is counted
  per member (autocomplete never is). Beyond the limits (bot.domain.ratelimit) it is answered
  privately "slow down, try again in N s" and nothing else happens: the gate is asked before
  any callback runs (the command tree's, every view's and form's `interaction_check`, and the
  `guarded` callbacks of dynamic items and of the sign form; see bot/adapters/errors.py).
  The first ask decides for the interaction; any later ask for the same one repeats the
  answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord

from bot.clock import Monotonic, loop_time
from bot.domain.errors import UserError
from bot.domain.guilds import Actor, GuildSettings, is_organiser
from bot.domain.ratelimit import RateLimiter, RateLimits, retry_after_s

log = logging.getLogger(__name__)

SettingsOf = Callable[[int], Awaitable[GuildSettings]]
Refuse = Callable[[discord.Interaction, BaseException], Awaitable[None]]

COUNTED = (
    discord.InteractionType.application_command,
    discord.InteractionType.component,
    discord.InteractionType.modal_submit,
)
VERDICT = "copro_rate_gate"  # the interaction's `extras` key holding the gate's decision


def actor_of(interaction: discord.Interaction) -> Actor:
    """The acting member, with their server-wide permissions (never one channel's)."""
    user = interaction.user
    if not isinstance(user, discord.Member):
        return Actor.of(user.id, [])
    guild = user.guild
    if getattr(guild, "unavailable", False) or guild.owner_id is None:
        # discord.py has not had the server yet (the bot is starting): its roles, and so
        # anyone's permissions, are unknown. Saying "you are not an organiser" would be wrong.
        raise UserError("server_loading")
    perms = user.guild_permissions
    return Actor.of(
        user.id,
        [role.id for role in user.roles],
        administrator=perms.administrator,
        manage_guild=perms.manage_guild,
        manage_events=perms.manage_events,
    )


def payload_of(interaction: discord.Interaction) -> dict[str, Any]:
    """The interaction's raw data (a form's custom_id and fields, the channels Discord
    resolved), as a plain mapping."""
    return cast("dict[str, Any]", interaction.data or {})


def can_post_in(interaction: discord.Interaction, channel: discord.abc.GuildChannel) -> bool:
    """Whether the acting member can see and send messages in `channel`: the permissions
    Discord resolved for them there (sent with a `channel` option), else worked out from
    discord.py's cache of the channel's overwrites."""
    channels = (payload_of(interaction).get("resolved") or {}).get("channels", {})
    resolved = channels.get(str(channel.id), {})
    if "permissions" in resolved:
        perms = discord.Permissions(int(resolved["permissions"]))
    elif isinstance(interaction.user, discord.Member):
        perms = channel.permissions_for(interaction.user)
    else:
        return False
    return perms.view_channel and perms.send_messages


class RateGate:
    """Counts each member's commands, clicks and forms; refuses the ones over the limit.

    `now` is monotonic seconds (the event loop's by default; tests hand in their own).
    `settings_of` reads a server's settings, asked only for a member over the member limit
    (are they an organiser, allowed more?). `refuse` answers a refusal privately."""

    def __init__(
        self,
        limits: RateLimits,
        *,
        settings_of: SettingsOf,
        refuse: Refuse,
        now: Monotonic = loop_time,
    ) -> None:
        self.limits = limits
        self.limiter = RateLimiter(limits.window_s, limits.most)
        self._settings_of = settings_of
        self._refuse = refuse
        self._now = now
        # member -> (when it was asked, organiser?): a flood past the member's limit asks the
        # server's settings once a window, not once a refusal; forgotten oldest first
        self._organisers: OrderedDict[int, tuple[float, bool]] = OrderedDict()
        self.refused = 0  # interactions refused since start

    async def admit(self, interaction: discord.Interaction) -> bool:
        """True to go on; False when refused (the member has been told)."""
        if interaction.type not in COUNTED:
            return True  # autocomplete is never limited
        decided: asyncio.Future[float] | None = interaction.extras.get(VERDICT)
        if decided is not None:
            return await asyncio.shield(decided) == 0.0
        decided = asyncio.get_running_loop().create_future()
        interaction.extras[VERDICT] = decided
        wait = 0.0
        try:
            wait = await self._decide(interaction)
        except Exception:  # never a reason to turn a member away
            log.exception("the rate gate failed; letting interaction %d through", interaction.id)
        finally:
            decided.set_result(wait)
        if wait == 0.0:
            return True
        self.refused += 1
        seconds = retry_after_s(wait)
        log.debug("a member is going too fast: refused for %d s", seconds)
        await self._refuse(interaction, UserError("slow_down", seconds=seconds))
        return False

    async def _decide(self, interaction: discord.Interaction) -> float:
        key, now = interaction.user.id, self._now()
        wait = self.limiter.take(key, now, self.limits.member)
        if wait and await self._organiser(interaction, now):
            wait = self.limiter.take(key, now, self.limits.organiser)
        return wait

    async def _organiser(self, interaction: discord.Interaction, now: float) -> bool:
        key, window = interaction.user.id, self.limits.window_s
        while self._organisers:  # forget what was asked more than a window ago
            first, (asked_at, _) = next(iter(self._organisers.items()))
            if asked_at > now - window:
                break
            del self._organisers[first]
        known = self._organisers.get(key)
        if known is not None:
            return known[1]
        verdict = False
        if interaction.guild_id is not None:
            try:
                settings = await self._settings_of(interaction.guild_id)
                verdict = is_organiser(actor_of(interaction), settings)
            except Exception as exc:  # a busy database, a server not loaded: member's limit
                log.warning("could not tell whether %d organises: %s", key, exc)
        self._organisers[key] = (now, verdict)
        self._organisers.move_to_end(key)
        return verdict
