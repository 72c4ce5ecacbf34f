"""Use cases for organisation records: finding one as typed, the list, editing, merging.

Other services match what a member typed through `OrganisationStore.resolve` inside their
own transaction; this service answers the `/network organisations`, `organisation` and
`merge` commands and autocomplete. A merge redraws the letter posts whose counts change
through the paced post updater (`PostTouch`, kind "letter").
"""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor
from bot.domain.organisations import (
    PAGE_SIZE,
    Merged,
    Organisation,
    OrganisationPage,
    check_merge,
    clean_organisation_name,
    match_key,
    name_keys,
    pages_for,
    parse_aliases,
)
from bot.services.ports import Guilds, PostTouch
from bot.stores.organisations import OrganisationStore

CHOICES_MAX = 25
LETTER_POST_KIND = "letter"  # bot.services.letters.POST_KIND
EVENT_POST_KIND = "event"  # bot.services.attendance.POST_KIND


class OrganisationService:
    def __init__(self, db: Database, clock: Clock, guilds: Guilds, posts: PostTouch) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.posts = posts
        self.store = OrganisationStore(db)

    async def suggest(self, guild_id: int, text: str) -> list[Organisation]:
        """Known organisations for autocomplete: any spelling containing what was typed."""
        async with self.db.reading():
            return await self.store.search(guild_id, text[:100], CHOICES_MAX)

    async def find(self, guild_id: int, text: str) -> Organisation:
        """The record an `organisation` option names (as typed, or chosen from the list)."""
        key = match_key(text)
        async with self.db.reading():
            found = await self.store.by_key(guild_id, key) if key else None
        if found is None:
            raise UserError("organisation_not_found", text=text.strip()[:100])
        return found

    async def page(self, guild_id: int, page: int) -> OrganisationPage:
        """Page `page` (1-based, kept in range) of the records, most members first."""
        async with self.db.reading():
            total = await self.store.count(guild_id)
            pages = pages_for(total)
            page = min(max(page, 1), pages)
            rows = await self.store.page(guild_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        return OrganisationPage(tuple(rows), page, pages, total)

    async def edit(
        self,
        guild_id: int,
        actor: Actor,
        organisation: str,
        *,
        name: str | None = None,
        welsh_name: str | None = None,
        aliases: str | None = None,
    ) -> Organisation:
        """Organisers: a new name, Welsh name (`-` clears it) or aliases (comma-separated,
        replacing the old ones; `-` clears them). A spelling another record already answers
        to is refused, naming that record; nothing is written then."""
        if name is None and welsh_name is None and aliases is None:
            raise UserError("edit_nothing")
        new_name = clean_organisation_name(name, "name") if name is not None else None
        clear_welsh = welsh_name is not None and welsh_name.strip() == "-"
        new_welsh = (
            clean_organisation_name(welsh_name, "welsh_name")
            if welsh_name is not None and not clear_welsh
            else None
        )
        new_aliases = parse_aliases(aliases) if aliases is not None else None
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.transaction():
            found = await self._named(guild_id, organisation)
            final_name = new_name or found.name
            final_welsh = None if clear_welsh else (new_welsh or found.welsh_name)
            final_aliases = found.aliases if new_aliases is None else new_aliases
            for key, spelling in name_keys(final_name, final_welsh, final_aliases).items():
                owner = await self.store.owner_of(guild_id, key)
                if owner is not None and owner != found.id:
                    other = await self.store.get(owner)
                    raise UserError(
                        "organisation_name_taken",
                        spelling=spelling,
                        other=other.name if other else "?",
                    )
            await self.store.rename(found, final_name, final_welsh, final_aliases, self.clock())
            edited = await self.store.get(found.id)
        assert edited is not None
        return edited

    async def prepare_merge(
        self, guild_id: int, actor: Actor, source: str, into: str
    ) -> tuple[Organisation, Organisation]:
        """The two records a merge would fold together, checked before the confirmation."""
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.reading():
            found = await self._named(guild_id, source), await self._named(guild_id, into)
        check_merge(found[0].id, found[1].id)
        return found

    async def merge(self, guild_id: int, actor: Actor, source_id: int, into_id: int) -> Merged:
        """Fold `source_id` into `into_id` everywhere at once (members, signatures, hosts,
        series, spellings), then redraw the letter posts whose counts changed and the posts
        of the events it hosted (they name `into` now)."""
        check_merge(source_id, into_id)
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.transaction():
            source = await self._own(guild_id, source_id)
            into = await self._own(guild_id, into_id)
            merged = await self.store.merge(source, into, self.clock())
        for letter_id, channel_id, message_id in merged.letter_posts:
            self.posts.touch(LETTER_POST_KIND, letter_id, channel_id, message_id)
        for event_id, channel_id, message_id in merged.event_posts:
            self.posts.touch(EVENT_POST_KIND, event_id, channel_id, message_id)
        return merged

    async def _named(self, guild_id: int, text: str) -> Organisation:
        key = match_key(text)
        found = await self.store.by_key(guild_id, key) if key else None
        if found is None:
            raise UserError("organisation_not_found", text=text.strip()[:100])
        return found

    async def _own(self, guild_id: int, organisation_id: int) -> Organisation:
        found = await self.store.get(organisation_id)
        if found is None or found.guild_id != guild_id:
            raise UserError("organisation_gone")
        return found
