-- 0013: after /privacy forget, the RSVP reactions of the member that may still be on posts (the post's message id, the member's id, the emoji; nothing else), so reading a post again never brings a forgotten answer back; a row goes once the reaction is gone, made anew, or its post no longer takes answers.

CREATE TABLE forgotten_reactions (
    message_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    emoji TEXT NOT NULL CHECK (emoji IN ('✅', '🤔', '❌')),
    PRIMARY KEY (message_id, user_id, emoji)
) STRICT, WITHOUT ROWID;

CREATE INDEX forgotten_reactions_by_user ON forgotten_reactions (user_id);
