"""The one exception a member's mistake raises; the sentence it names lives in bot.text."""


class UserError(Exception):
    """A member's mistake: `key` names a sentence in bot.text.ERRORS, `params` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
