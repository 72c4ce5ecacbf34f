-- 0017: every letter gets a public web page at an unguessable slug, and a `web` flag (on by default; /letter edit web:False takes the page down). New letters get their slug from secrets.token_urlsafe(16) (bot/domain/letters.py new_slug); letters already here, and any row inserted without one, get lower(hex(randomblob(16))): 128 bits from SQLite's ChaCha20 generator, seeded from the OS. Both are unguessable; the two shapes never collide in practice and the unique index refuses it if they did.

ALTER TABLE letters ADD COLUMN slug TEXT CHECK (slug IS NULL OR length(slug) >= 22);
ALTER TABLE letters ADD COLUMN web INTEGER NOT NULL DEFAULT 1 CHECK (web IN (0, 1));
UPDATE letters SET slug = lower(hex(randomblob(16))) WHERE slug IS NULL;
CREATE UNIQUE INDEX letters_by_slug ON letters (slug);
CREATE TRIGGER letters_slug_on_insert AFTER INSERT ON letters WHEN NEW.slug IS NULL
BEGIN
    UPDATE letters SET slug = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;

-- Every change to a letter's signatures (signing, re-signing, withdrawing, and erasures by /privacy forget or retention) moves its `signatures_version` on, so the web can tell from the letter's row alone whether a page it built is still right (bot/web/letters.py keeps a few built pages).
ALTER TABLE letters ADD COLUMN signatures_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER signatures_version_on_insert AFTER INSERT ON signatures
BEGIN
    UPDATE letters SET signatures_version = signatures_version + 1 WHERE id = NEW.letter_id;
END;
CREATE TRIGGER signatures_version_on_update AFTER UPDATE ON signatures
BEGIN
    UPDATE letters SET signatures_version = signatures_version + 1
    WHERE id IN (OLD.letter_id, NEW.letter_id);
END;
CREATE TRIGGER signatures_version_on_delete AFTER DELETE ON signatures
BEGIN
    UPDATE letters SET signatures_version = signatures_version + 1 WHERE id = OLD.letter_id;
END;
