-- The article page's physical limit, one statement answering the same JSON as the server's "data" for
--   article(slug) { slug title standfirst body analysis publishedAt updatedAt heroImage { altText caption }
--     takeaways { text } quotes { text speaker context } highlights { text } tags { name slug } relatedArticles { slug title } }
-- k is a uniformly random published article, as in the server's wrk script; n is its number, story-n its slug
-- (published, draft_every come from the data set, see ReadDataSet.cs).
\set k random(0, :published - 1)
\set n :k + :k / (:draft_every - 1) + 1
SELECT json_build_object('article', (
  SELECT json_build_object(
           'slug', a."Slug",
           'title', a."Title",
           'standfirst', a."Standfirst",
           'body', a."Body",
           'analysis', a."Analysis",
           'publishedAt', (to_json(a."PublishedAt" AT TIME ZONE 'UTC') #>> '{}') || 'Z',
           'updatedAt', (to_json(a."UpdatedAt" AT TIME ZONE 'UTC') #>> '{}') || 'Z',
           'heroImage', CASE WHEN a."HeroImageAltText" IS NULL AND a."HeroImageCaption" IS NULL THEN NULL
                             ELSE json_build_object('altText', a."HeroImageAltText", 'caption', a."HeroImageCaption") END,
           'takeaways', takeaways.list,
           'quotes', quotes.list,
           'highlights', highlights.list,
           'tags', tags.list,
           'relatedArticles', related.list)
  FROM "Articles" a
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('text', k.item ->> 'Text') ORDER BY k.n), '[]') AS list
    FROM jsonb_array_elements(a."Takeaways") WITH ORDINALITY AS k(item, n)) takeaways
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('text', q.item ->> 'Text', 'speaker', q.item ->> 'Speaker', 'context', q.item ->> 'Context') ORDER BY q.n), '[]') AS list
    FROM jsonb_array_elements(a."Quotes") WITH ORDINALITY AS q(item, n)) quotes
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('text', h.item ->> 'Text') ORDER BY h.n), '[]') AS list
    FROM jsonb_array_elements(a."Highlights") WITH ORDINALITY AS h(item, n)) highlights
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('name', t."Name", 'slug', t."Slug") ORDER BY t."Name"), '[]') AS list
    FROM "ArticleTags" l JOIN "Tags" t ON t."Id" = l."TagId"
    WHERE l."ArticleId" = a."Id") tags
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('slug', r."Slug", 'title', r."Title") ORDER BY l."Position"), '[]') AS list
    FROM "RelatedArticles" l JOIN "Articles" r ON r."Id" = l."RelatedArticleId"
    WHERE l."ArticleId" = a."Id" AND r."Status" = 'Published' AND r."PublishedAt" <= now()) related
  WHERE a."Slug" = 'story-' || :n::text AND a."Status" = 'Published' AND a."PublishedAt" <= now()));
