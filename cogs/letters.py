"""/letter: open letters: create, sign (by command or the post's Sign button), withdraw,
read, list, edit, close and export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.adapters.errors import BotView, admitted, answer_error, guarded
from bot.custom_ids import (
    SIGN_ID,
    SIGNATURES_PAGE_ID,
    SignaturesPage,
    SignForm,
    decode_sign,
    decode_sign_form,
    decode_signatures_page,
    encode_sign,
    encode_sign_form,
    encode_signatures_page,
)
from bot.domain.languages import Language
from bot.domain.letters import (
    ADDRESSEE_MAX,
    BODY_MAX,
    MILESTONE_MAX,
    NAME_MAX,
    ORGANISATION_MAX,
    TITLE_MAX,
    Letter,
    Signature,
)
from bot.i18n import tr
from bot.render.exports import full_text_file, letter_files
from bot.render.letters import (
    close_prompt,
    closed_reply,
    created_reply,
    edited_reply,
    exported_reply,
    info_embed,
    letter_page_url,
    list_embed,
    sign_modal_title,
    signatures_embed,
    signed_reply,
    withdrawn_reply,
)
from bot.services.letters import LetterInput
from cogs.common import (
    CONFIRMS,
    Confirm,
    Confirmed,
    PageButton,
    actor_of,
    attach,
    can_post_in,
    custom_id_of,
    form_values,
    guild_id_of,
    organisation_choices,
    private,
    send_all,
)
from cogs.refs import AnyLetter, OpenLetter

if TYPE_CHECKING:
    from bot.client import Bot

MODAL_TIMEOUT_S = 15 * 60  # an interaction's token lives 15 minutes
FORMAT_CHOICES = [Choice(name="Markdown", value="markdown"), Choice(name="CSV", value="csv")]
SIGN_FORM_NAME, SIGN_FORM_ORGANISATION = "name", "organisation"  # the form's text inputs
CLOSES_HELP = (
    "When signing closes, in the server's time zone: 2026-12-31 17:00, 31 Dec 5pm, next friday 5pm"
)


def _bot(interaction: discord.Interaction) -> Bot:
    return interaction.client  # type: ignore[return-value]


def public_url(bot: Bot) -> str | None:
    """The web's base address for links, or None while the web is off (no WEB_PORT)."""
    settings = bot.settings
    return settings.public_base if settings.web_enabled else None


class AnsweringModal(discord.ui.Modal):
    """A modal whose submissions pass the rate gate and whose errors are answered like
    commands' errors."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await admitted(interaction)

    async def on_error(  # type: ignore[override]  # Modal's own signature, narrower than View's
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await answer_error(interaction, error)


# --- creating: the letter's text, when not given as an option ------------------------------


async def posted_languages(bot: Bot, guild_id: int) -> tuple[Language, ...]:
    """The languages of the server's public posts (its mode), for the organiser's note."""
    return (await bot.guild_service.settings(guild_id)).language.languages


class LetterBodyModal(AnsweringModal):
    def __init__(self, typed: LetterInput, channel_id: int | None, can_post_there: bool) -> None:
        super().__init__(title=tr(text.LETTER_BODY_MODAL_TITLE), timeout=MODAL_TIMEOUT_S)
        self.typed, self.channel_id, self.can_post_there = typed, channel_id, can_post_there
        self.body: discord.ui.TextInput[LetterBodyModal] = discord.ui.TextInput(
            label=tr(text.LETTER_BODY_LABEL),
            custom_id="body",
            style=discord.TextStyle.paragraph,
            placeholder=tr(text.LETTER_BODY_PLACEHOLDER),
            max_length=BODY_MAX,
        )
        self.add_item(self.body)
        self.body_cy: discord.ui.TextInput[LetterBodyModal] = discord.ui.TextInput(
            label=tr(text.LETTER_BODY_CY_LABEL),
            custom_id="body_cy",
            style=discord.TextStyle.paragraph,
            placeholder=tr(text.LETTER_BODY_CY_PLACEHOLDER),
            max_length=BODY_MAX,
            required=False,
            default=typed.body_cy,
        )
        self.add_item(self.body_cy)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        typed = LetterInput(
            self.typed.title,
            self.typed.addressee,
            self.body.value,
            self.typed.closes,
            self.typed.milestone,
            title_cy=self.typed.title_cy,
            body_cy=self.body_cy.value or None,
        )
        created = await _bot(interaction).letter_service.create(
            guild_id_of(interaction),
            actor_of(interaction),
            typed,
            self.channel_id,
            can_post_there=self.can_post_there,
        )
        posted_in = await posted_languages(_bot(interaction), created.letter.guild_id)
        await private(
            interaction,
            lambda: created_reply(created.letter, created.ambiguous_local, posted_in),
        )


# --- signing: the form, the Sign button ----------------------------------------------------


def sign_form(
    form: SignForm,
    letter: Letter,
    previous: Signature | None,
    display_name: str,
    organisation: str | None,
) -> discord.ui.Modal:
    """Name and organisation, filled in from the member's earlier signature if any.

    Stateless: the custom_id carries the letter (and /letter sign's `public` choice), and
    the form is never registered with discord.py (it is stopped before it is sent, and
    `send_modal` keeps only forms still listening). Every submission is answered by
    `Letters.on_interaction` from its custom_id alone, so a form opened before a restart, or
    submitted before discord.py would have registered it, is stored and answered all the
    same, and exactly once.
    """
    modal = discord.ui.Modal(
        title=sign_modal_title(letter), timeout=None, custom_id=encode_sign_form(form)
    )
    name = previous.name if previous else display_name
    org = organisation or (previous.organisation if previous else None)
    modal.add_item(
        discord.ui.TextInput(
            label=tr(text.SIGN_NAME_LABEL),
            custom_id=SIGN_FORM_NAME,
            default=name[:NAME_MAX],
            max_length=NAME_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label=tr(text.SIGN_ORGANISATION_LABEL),
            custom_id=SIGN_FORM_ORGANISATION,
            placeholder=tr(text.SIGN_ORGANISATION_PLACEHOLDER),
            default=org[:ORGANISATION_MAX] if org else None,
            max_length=ORGANISATION_MAX,
            required=False,
        )
    )
    modal.stop()  # never dispatched by discord.py: see above
    return modal


async def submit_sign_form(interaction: discord.Interaction, form: SignForm) -> None:
    """Store the signature a sign form carries and answer privately."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    values = form_values(interaction)
    signed = await _bot(interaction).letter_service.sign(
        guild_id_of(interaction),
        interaction.user.id,
        form.letter_id,
        name=values.get(SIGN_FORM_NAME, ""),
        organisation=values.get(SIGN_FORM_ORGANISATION) or None,
        public=form.public,
    )
    await private(
        interaction,
        lambda: signed_reply(signed.letter, signed.signature, signed.tally, signed.first),
    )


async def open_sign_form(
    interaction: discord.Interaction,
    letter_id: int,
    organisation: str | None = None,
    public: bool | None = None,
) -> None:
    """Quick checks (the letter is open), then the form: a modal must be the first answer."""
    letter, previous = await _bot(interaction).letter_service.prepare_sign(
        guild_id_of(interaction), interaction.user.id, letter_id
    )
    display_name = getattr(interaction.user, "display_name", interaction.user.name)
    await interaction.response.send_modal(
        sign_form(SignForm(letter.id, public), letter, previous, display_name, organisation)
    )


class SignButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SIGN_ID.pattern):
    """The Sign button on a letter's post; stateless, so it works after a restart."""

    def __init__(self, letter_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=tr(text.BUTTON_SIGN),
                style=discord.ButtonStyle.success,
                custom_id=encode_sign(letter_id),
            )
        )
        self.letter_id = letter_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> SignButton:
        letter_id = decode_sign(match.string)
        if letter_id is None:
            raise ValueError("bad sign id")
        return cls(letter_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await open_sign_form(interaction, self.letter_id)


# --- the public list of signatures -----------------------------------------------------------


async def render_signatures(
    bot: Bot, guild_id: int, target: SignaturesPage
) -> tuple[discord.Embed, BotView | None]:
    page = await bot.letter_service.signatures_page(guild_id, target.letter_id, target.page)
    embed = signatures_embed(page.letter, page.tally, page.signatures, page.page, page.pages)
    view = SignaturesPageButton.pager(
        page.page, page.pages, lambda n: SignaturesPage(page.letter.id, n)
    )
    return embed, view


class SignaturesPageButton(PageButton[SignaturesPage], template=SIGNATURES_PAGE_ID.pattern):
    """Previous/Next on a list of signatures."""

    encode = staticmethod(encode_signatures_page)
    decode = staticmethod(decode_signatures_page)

    async def render(self, bot: Bot, guild_id: int) -> tuple[discord.Embed, discord.ui.View | None]:
        return await render_signatures(bot, guild_id, self.target)


# --- the commands ----------------------------------------------------------------------------


@app_commands.guild_only()
class Letters(commands.GroupCog, group_name="letter", group_description="Open letters to sign"):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.letter_service

    # --- the sign form's submissions -------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        form = decode_sign_form(custom_id_of(interaction))
        if form is not None:
            await self._sign_form_submitted(interaction, form)

    @guarded
    async def _sign_form_submitted(self, interaction: discord.Interaction, form: SignForm) -> None:
        await submit_sign_form(interaction, form)

    # --- autocomplete -------------------------------------------------------------------

    async def organisations(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await organisation_choices(interaction, current)  # organisation records

    # --- organisers ---------------------------------------------------------------------

    @app_commands.command(name="create", description="Start an open letter (organisers)")
    @app_commands.describe(
        title="The letter's title, e.g. Open Letter to the First Minister",
        addressee="Who it is to, e.g. The First Minister of Wales",
        body="The text (leave out to type it in a larger box, with paragraphs)",
        closes=CLOSES_HELP,
        milestone="Celebrate every this many signatures (default 25)",
        channel="Where to post it (default: the announcements channel)",
        title_cy="The title in Welsh, for Welsh and bilingual posts (default: the English)",
        body_cy="The text in Welsh (or type it in the form, beside the English)",
    )
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, TITLE_MAX],
        addressee: app_commands.Range[str, 1, ADDRESSEE_MAX],
        body: app_commands.Range[str, 1, BODY_MAX] | None = None,
        closes: str | None = None,
        milestone: app_commands.Range[int, 1, MILESTONE_MAX] | None = None,
        channel: discord.TextChannel | None = None,
        title_cy: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        body_cy: app_commands.Range[str, 1, BODY_MAX] | None = None,
    ) -> None:
        typed = LetterInput(
            title, addressee, body, closes, milestone, title_cy=title_cy, body_cy=body_cy
        )
        channel_id = channel.id if channel else None
        own = channel is None or can_post_in(interaction, channel)
        guild_id, actor = guild_id_of(interaction), actor_of(interaction)
        if body is None:  # the form must be the first answer: only quick checks before it
            await self.service.prepare_create(
                guild_id, actor, typed, channel_id, can_post_there=own
            )
            await interaction.response.send_modal(LetterBodyModal(typed, channel_id, own))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        created = await self.service.create(guild_id, actor, typed, channel_id, can_post_there=own)
        posted_in = await posted_languages(self.bot, guild_id)
        await private(
            interaction,
            lambda: created_reply(created.letter, created.ambiguous_local, posted_in),
        )

    @app_commands.command(name="edit", description="Change an open letter (organisers)")
    @app_commands.describe(
        letter="The letter to change",
        title="A new title",
        addressee="Who it is to",
        body="A new text (people who signed are told)",
        closes=CLOSES_HELP + " (type - for no closing time; a future time reopens it)",
        milestone="Celebrate every this many signatures",
        web="Show the letter's public web page (False takes it down; True puts it back)",
        title_cy="A new title in Welsh (type - to clear)",
        body_cy="A new text in Welsh (type - to clear; people who signed are told)",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        letter: AnyLetter,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        addressee: app_commands.Range[str, 1, ADDRESSEE_MAX] | None = None,
        body: app_commands.Range[str, 1, BODY_MAX] | None = None,
        closes: str | None = None,
        milestone: app_commands.Range[int, 1, MILESTONE_MAX] | None = None,
        web: bool | None = None,
        title_cy: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        body_cy: app_commands.Range[str, 1, BODY_MAX] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        typed = LetterInput(
            title, addressee, body, closes, milestone, web, title_cy=title_cy, body_cy=body_cy
        )
        edited = await self.service.edit(
            guild_id_of(interaction), actor_of(interaction), letter, typed
        )
        posted_in = await posted_languages(self.bot, edited.letter.guild_id)
        reply = lambda: edited_reply(  # noqa: E731 - rendered in each of the member's languages
            edited.letter,
            edited.changes,
            reopened=edited.reopened,
            reposted=edited.reposted,
            notified=len(edited.notices),
            ambiguous_local=edited.ambiguous_local,
            web=web,
            page_url=letter_page_url(public_url(self.bot), edited.letter),
            posted_in=posted_in if edited.changes else (),
        )
        await private(interaction, reply)
        await send_all(self.bot, edited.notices)

    @app_commands.command(
        name="close", description="Stop signing, after a confirmation (organisers)"
    )
    @app_commands.describe(letter="The letter to close")
    async def close(self, interaction: discord.Interaction, letter: OpenLetter) -> None:
        found = await self.service.prepare_close(
            guild_id_of(interaction), actor_of(interaction), letter
        )

        async def close(confirmed: discord.Interaction) -> Confirmed:
            closed = await self.service.close(
                guild_id_of(confirmed), actor_of(confirmed), found.letter.id
            )
            return Confirmed(lambda: closed_reply(closed.letter, closed.tally))

        view = Confirm(interaction.user.id, CONFIRMS["close"], close, title=found.letter.title)
        await view.ask(interaction, lambda: close_prompt(found.letter, found.tally))

    @app_commands.command(
        name="export", description="The letter and its public signatories, as a file (organisers)"
    )
    @app_commands.describe(letter="The letter", format="Markdown (default) or CSV")
    @app_commands.choices(format=FORMAT_CHOICES)
    async def export(
        self, interaction: discord.Interaction, letter: AnyLetter, format: Choice[str] | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.service.export(guild_id_of(interaction), actor_of(interaction), letter)
        as_csv = format is not None and format.value == "csv"
        files = letter_files(found.letter, found.tally, found.signatures, found.at, as_csv=as_csv)
        await private(
            interaction,
            lambda: exported_reply(found.letter, found.tally, len(found.signatures)),
            files=attach(*files),
        )

    # --- everyone -----------------------------------------------------------------------

    @app_commands.command(name="sign", description="Add your name to an open letter")
    @app_commands.describe(
        letter="The letter to sign",
        name="Your name as it should appear (leave out to fill in a form)",
        organisation="The organisation you sign for, if any (- for none)",
        public="Show your name in the public list (default: yes); it counts either way",
    )
    @app_commands.autocomplete(organisation=organisations)
    async def sign(
        self,
        interaction: discord.Interaction,
        letter: OpenLetter,
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
        organisation: app_commands.Range[str, 1, ORGANISATION_MAX] | None = None,
        public: bool | None = None,
    ) -> None:
        if name is None:
            await open_sign_form(interaction, letter.id, organisation, public)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        signed = await self.service.sign(
            guild_id_of(interaction),
            interaction.user.id,
            letter.id,
            name=name,
            organisation=organisation,
            public=public,
        )
        await private(
            interaction,
            lambda: signed_reply(signed.letter, signed.signature, signed.tally, signed.first),
        )

    @app_commands.command(name="withdraw", description="Take your name off a letter")
    @app_commands.describe(letter="The letter you signed")
    async def withdraw(self, interaction: discord.Interaction, letter: AnyLetter) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        shown = await self.service.withdraw(
            guild_id_of(interaction), interaction.user.id, letter.id
        )
        await private(interaction, lambda: withdrawn_reply(shown.letter, shown.tally))

    @app_commands.command(name="info", description="A letter's full text and its count")
    @app_commands.describe(letter="The letter")
    async def info(self, interaction: discord.Interaction, letter: AnyLetter) -> None:
        shown = await self.service.info(letter)
        page_url = letter_page_url(public_url(self.bot), shown.letter)
        embed, cut = info_embed(shown.letter, shown.tally, self.bot.clock(), page_url)
        files = attach(full_text_file(shown.letter)) if cut else None
        await private(interaction, embed=embed, files=files)

    @app_commands.command(name="signatures", description="Who signed a letter")
    @app_commands.describe(letter="The letter")
    async def signatures(self, interaction: discord.Interaction, letter: AnyLetter) -> None:
        embed, view = await render_signatures(
            self.bot, guild_id_of(interaction), SignaturesPage(letter.id, 0)
        )
        await private(interaction, embed=embed, view=view)

    @app_commands.command(name="list", description="The open letters, and closed ones")
    async def list_letters(self, interaction: discord.Interaction) -> None:
        shown, total = await self.service.list_letters(guild_id_of(interaction))
        now = self.bot.clock()
        await private(
            interaction, embed=lambda: list_embed([(s.letter, s.tally) for s in shown], total, now)
        )


async def setup(bot: Bot) -> None:
    bot.add_dynamic_items(SignButton, SignaturesPageButton)
    await bot.add_cog(Letters(bot))
