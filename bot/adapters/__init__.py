"""Discord-facing implementations of the services' ports (bot/services/ports.py): the
announcer and Events-tab mirror, the letter poster, the DM notifier; and the door every
interaction comes through: the rate gate and the one error handler."""
