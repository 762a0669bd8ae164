from django.db import migrations

# Search on PostgreSQL, for large registers (see resolutions.search):
#
# - search_recency: the day of the record's meeting (days since 1970-01-01), copied onto each
#   searched row by triggers and indexed newest first, so that a search can read the newest
#   rows first and stop when it has enough matches, and a RUM index can attach it to the
#   search vector (`manage.py search_index --rum`). An integer, because RUM orders by
#   distance on integers and times, not on dates.
# - resolutions_search_word: every distinct folded word of the register, with a trigram
#   index, so that a word nobody wrote ("Thiem", "bangg") is corrected against a few thousand
#   words instead of compared with every record. Filled by statement-level triggers that read
#   the statement's new rows at once, so a COPY of 100,000 rows costs one query, not 100,000.
#
# SQLite has neither: it ranks every match and has no near-miss search.
SEARCHED = ("resolutions_directive", "resolutions_indicator", "resolutions_finding")

FUNCTIONS = """
CREATE FUNCTION resolutions_search_recency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_recency := (
        SELECT started_on - DATE '1970-01-01' FROM resolutions_meeting WHERE id = NEW.meeting_id
    );
    RETURN NEW;
END $$;

CREATE FUNCTION resolutions_meeting_search_recency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE resolutions_directive SET search_recency = NEW.started_on - DATE '1970-01-01'
        WHERE meeting_id = NEW.id;
    UPDATE resolutions_indicator SET search_recency = NEW.started_on - DATE '1970-01-01'
        WHERE meeting_id = NEW.id;
    UPDATE resolutions_finding SET search_recency = NEW.started_on - DATE '1970-01-01'
        WHERE meeting_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER resolutions_meeting_search_recency
    AFTER UPDATE OF started_on ON resolutions_meeting
    FOR EACH ROW WHEN (OLD.started_on IS DISTINCT FROM NEW.started_on)
    EXECUTE FUNCTION resolutions_meeting_search_recency();

-- The ids a query selects, planned without bitmap scans (see resolutions.search): asked for
-- the newest matches of several common words, PostgreSQL expects a few and would read them
-- all through a bitmap and sort them, where a RUM index hands them over newest first.
CREATE FUNCTION resolutions_ids_in_index_order(query text) RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SET enable_bitmapscan = off AS $$
BEGIN
    RETURN QUERY EXECUTE query;
END $$;

CREATE TABLE resolutions_search_word (word text PRIMARY KEY);
CREATE INDEX resolutions_search_word_trgm ON resolutions_search_word
    USING gist (word gist_trgm_ops);

CREATE FUNCTION resolutions_search_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resolutions_search_word (word)
        SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM new_rows
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION resolutions_search_words_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resolutions_search_word (word)
        SELECT DISTINCT unnest(tsvector_to_array(new_rows.search_vector))
        FROM new_rows JOIN old_rows USING (id)
        WHERE new_rows.search_vector IS DISTINCT FROM old_rows.search_vector
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
"""

TABLE = """
ALTER TABLE {table} ADD COLUMN search_recency integer;
CREATE TRIGGER {table}_search_recency
    BEFORE INSERT OR UPDATE OF meeting_id ON {table}
    FOR EACH ROW EXECUTE FUNCTION resolutions_search_recency();
UPDATE {table} SET search_recency = m.started_on - DATE '1970-01-01'
    FROM resolutions_meeting m WHERE m.id = {table}.meeting_id;
CREATE INDEX {table}_search_recency ON {table} (search_recency DESC, id DESC);
CREATE TRIGGER {table}_search_words_inserted
    AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resolutions_search_words_inserted();
CREATE TRIGGER {table}_search_words_updated
    AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resolutions_search_words_updated();
INSERT INTO resolutions_search_word (word)
    SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM {table}
    ON CONFLICT DO NOTHING;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for table in SEARCHED:
        schema_editor.execute(TABLE.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_search_recency ON {table};"
            f"DROP TRIGGER IF EXISTS {table}_search_words_inserted ON {table};"
            f"DROP TRIGGER IF EXISTS {table}_search_words_updated ON {table};"
            f"DROP INDEX IF EXISTS {table}_search_rum;"
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_recency;"
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector);"
        )
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS resolutions_meeting_search_recency ON resolutions_meeting;"
        "DROP FUNCTION IF EXISTS resolutions_meeting_search_recency();"
        "DROP FUNCTION IF EXISTS resolutions_search_recency();"
        "DROP FUNCTION IF EXISTS resolutions_search_words_inserted();"
        "DROP FUNCTION IF EXISTS resolutions_search_words_updated();"
        "DROP FUNCTION IF EXISTS resolutions_ids_in_index_order(text);"
        "DROP TABLE IF EXISTS resolutions_search_word;"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0005_follow_up"),
    ]

    operations = [migrations.RunPython(create, drop)]
