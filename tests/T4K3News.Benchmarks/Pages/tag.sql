-- The tag page's physical limit, one statement answering the same JSON as the server's "data" for
--   { articles(first 20, where { tags { some { slug { eq "economy" } } } }) { nodes { slug title publishedAt } } }
-- the 20 newest articles readers may see with the tag (pgbench -D tag=economy). The tag's id is looked up once, so
-- each candidate article costs one probe of the ArticleTags key.
SELECT json_build_object('articles', json_build_object('nodes', coalesce(json_agg(json_build_object(
         'slug', a."Slug",
         'title', a."Title",
         'publishedAt', (to_json(a."PublishedAt" AT TIME ZONE 'UTC') #>> '{}') || 'Z') ORDER BY a."PublishedAt" DESC, a."Id" DESC), '[]')))
FROM (SELECT a."Id", a."Slug", a."Title", a."PublishedAt"
      FROM "Articles" a
      WHERE a."Status" = 'Published' AND a."PublishedAt" <= now()
        AND EXISTS (SELECT FROM "ArticleTags" l
                    WHERE l."ArticleId" = a."Id" AND l."TagId" = (SELECT t."Id" FROM "Tags" t WHERE t."Slug" = :tag))
      ORDER BY a."PublishedAt" DESC, a."Id" DESC
      LIMIT 20) a;
