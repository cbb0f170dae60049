using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <summary>
    /// Ranked full-text search. The weighted search document is a column the EF model does not map (nothing reads it
    /// into entities), kept by a trigger on every insert and every change of a text it holds, whoever writes: the write
    /// path, the importer, a bulk COPY. The trigger reads the text-search configuration from "SearchSettings", which
    /// the server sets from <c>Search:TextSearchConfiguration</c> at start-up (re-indexing when it changes). Title words
    /// are counted in "SearchTitleWords" for "did you mean", with a trigram index when pg_trgm can be installed.
    /// </summary>
    public partial class ArticleSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchSettings" (
                    "Id" integer PRIMARY KEY CHECK ("Id" = 1),
                    "TextSearchConfiguration" text NOT NULL
                );
                INSERT INTO "SearchSettings" ("Id", "TextSearchConfiguration") VALUES (1, 'english');

                -- Title A; standfirst and takeaways B; body, analysis, quotes (text, speaker, context), highlights, callouts C.
                CREATE FUNCTION t4k3news_article_search_document(
                    config regconfig, title text, standfirst text, takeaways jsonb, body text, analysis text,
                    quotes jsonb, highlights jsonb, callouts jsonb)
                RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT setweight(to_tsvector(config, coalesce(title, '')), 'A')
                        || setweight(to_tsvector(config, coalesce(standfirst, ''))
                            || jsonb_to_tsvector(config, coalesce(takeaways, '[]'), '["string"]'), 'B')
                        || setweight(to_tsvector(config, coalesce(body, ''))
                            || to_tsvector(config, coalesce(analysis, ''))
                            || jsonb_to_tsvector(config, coalesce(quotes, '[]'), '["string"]')
                            || jsonb_to_tsvector(config, coalesce(highlights, '[]'), '["string"]')
                            || jsonb_to_tsvector(config, coalesce(callouts, '[]'), '["string"]'), 'C')
                $$;

                ALTER TABLE "Articles" ADD COLUMN "SearchDocument" tsvector NOT NULL DEFAULT ''::tsvector;

                CREATE FUNCTION t4k3news_articles_index_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."SearchDocument" := t4k3news_article_search_document(
                        (SELECT "TextSearchConfiguration" FROM "SearchSettings" WHERE "Id" = 1)::regconfig,
                        NEW."Title", NEW."Standfirst", NEW."Takeaways", NEW."Body", NEW."Analysis",
                        NEW."Quotes", NEW."Highlights", NEW."Callouts");
                    RETURN NEW;
                END $$;

                CREATE TRIGGER t4k3news_articles_index_search
                    BEFORE INSERT OR UPDATE OF "Title", "Standfirst", "Takeaways", "Body", "Analysis", "Quotes", "Highlights", "Callouts"
                    ON "Articles" FOR EACH ROW EXECUTE FUNCTION t4k3news_articles_index_search();

                UPDATE "Articles" SET "SearchDocument" = t4k3news_article_search_document('english',
                    "Title", "Standfirst", "Takeaways", "Body", "Analysis", "Quotes", "Highlights", "Callouts");

                CREATE INDEX "IX_Articles_SearchDocument" ON "Articles" USING gin ("SearchDocument");

                -- Every distinct word of every title (3 to 40 letters) with the number of articles whose title has it.
                CREATE TABLE "SearchTitleWords" (
                    "Word" text PRIMARY KEY,
                    "Articles" integer NOT NULL
                );

                CREATE FUNCTION t4k3news_title_words(title text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT DISTINCT w FROM regexp_split_to_table(lower(coalesce(title, '')), '[^[:alpha:]]+') AS w
                    WHERE length(w) BETWEEN 3 AND 40
                $$;

                -- Per statement, from its transition tables: a bulk insert (an import, a COPY) counts every word once.
                CREATE FUNCTION t4k3news_articles_count_title_words() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO "SearchTitleWords" ("Word", "Articles")
                            SELECT w, count(*) FROM new_rows, t4k3news_title_words(new_rows."Title") AS w GROUP BY w ORDER BY w
                            ON CONFLICT ("Word") DO UPDATE SET "Articles" = "SearchTitleWords"."Articles" + excluded."Articles";
                    ELSIF TG_OP = 'DELETE' THEN
                        UPDATE "SearchTitleWords" AS s SET "Articles" = s."Articles" - gone.n
                            FROM (SELECT w, count(*) AS n FROM old_rows, t4k3news_title_words(old_rows."Title") AS w GROUP BY w) AS gone
                            WHERE s."Word" = gone.w;
                        DELETE FROM "SearchTitleWords" WHERE "Articles" <= 0;
                    ELSE
                        -- Only titles that changed; rows are matched by id.
                        UPDATE "SearchTitleWords" AS s SET "Articles" = s."Articles" - gone.n
                            FROM (SELECT w, count(*) AS n
                                  FROM old_rows JOIN new_rows ON new_rows."Id" = old_rows."Id" AND new_rows."Title" IS DISTINCT FROM old_rows."Title",
                                       t4k3news_title_words(old_rows."Title") AS w GROUP BY w) AS gone
                            WHERE s."Word" = gone.w;
                        INSERT INTO "SearchTitleWords" ("Word", "Articles")
                            SELECT w, count(*)
                            FROM new_rows JOIN old_rows ON old_rows."Id" = new_rows."Id" AND new_rows."Title" IS DISTINCT FROM old_rows."Title",
                                 t4k3news_title_words(new_rows."Title") AS w GROUP BY w ORDER BY w
                            ON CONFLICT ("Word") DO UPDATE SET "Articles" = "SearchTitleWords"."Articles" + excluded."Articles";
                        DELETE FROM "SearchTitleWords" WHERE "Articles" <= 0;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER t4k3news_articles_count_inserted_title_words
                    AFTER INSERT ON "Articles" REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION t4k3news_articles_count_title_words();
                CREATE TRIGGER t4k3news_articles_count_updated_title_words
                    AFTER UPDATE ON "Articles" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION t4k3news_articles_count_title_words();
                CREATE TRIGGER t4k3news_articles_count_deleted_title_words
                    AFTER DELETE ON "Articles" REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION t4k3news_articles_count_title_words();

                CREATE FUNCTION t4k3news_articles_clear_title_words() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM "SearchTitleWords";
                    RETURN NULL;
                END $$;

                CREATE TRIGGER t4k3news_articles_clear_title_words
                    AFTER TRUNCATE ON "Articles" FOR EACH STATEMENT EXECUTE FUNCTION t4k3news_articles_clear_title_words();

                INSERT INTO "SearchTitleWords" ("Word", "Articles")
                    SELECT w, count(*) FROM "Articles", t4k3news_title_words("Title") AS w GROUP BY w;

                -- "Did you mean" needs pg_trgm; a server without it (or a role that may not install it) searches without suggestions.
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                        CREATE EXTENSION IF NOT EXISTS pg_trgm;
                        CREATE INDEX "IX_SearchTitleWords_Trigrams" ON "SearchTitleWords" USING gin ("Word" gin_trgm_ops);
                    END IF;
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'pg_trgm is not available, so search offers no suggestions: %', SQLERRM;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // pg_trgm stays: other database objects may use it.
            migrationBuilder.Sql("""
                DROP TRIGGER t4k3news_articles_clear_title_words ON "Articles";
                DROP TRIGGER t4k3news_articles_count_inserted_title_words ON "Articles";
                DROP TRIGGER t4k3news_articles_count_updated_title_words ON "Articles";
                DROP TRIGGER t4k3news_articles_count_deleted_title_words ON "Articles";
                DROP TRIGGER t4k3news_articles_index_search ON "Articles";
                DROP FUNCTION t4k3news_articles_clear_title_words();
                DROP FUNCTION t4k3news_articles_count_title_words();
                DROP FUNCTION t4k3news_articles_index_search();
                DROP FUNCTION t4k3news_title_words(text);
                DROP TABLE "SearchTitleWords";
                DROP INDEX "IX_Articles_SearchDocument";
                ALTER TABLE "Articles" DROP COLUMN "SearchDocument";
                DROP FUNCTION t4k3news_article_search_document(regconfig, text, text, jsonb, text, text, jsonb, jsonb, jsonb);
                DROP TABLE "SearchSettings";
                """);
        }
    }
}
