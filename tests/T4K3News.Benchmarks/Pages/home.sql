-- The home page's physical limit, one statement answering the same JSON as the server's "data" for
--   { articles(first 20) { nodes { slug title standfirst publishedAt tags { name slug } takeaways { text } } } }
-- the 20 newest articles readers may see (published and due), their tags by name and their takeaways in order.
SELECT json_build_object('articles', json_build_object('nodes', coalesce(json_agg(json_build_object(
         'slug', a."Slug",
         'title', a."Title",
         'standfirst', a."Standfirst",
         'publishedAt', (to_json(a."PublishedAt" AT TIME ZONE 'UTC') #>> '{}') || 'Z',
         'tags', tags.list,
         'takeaways', takeaways.list) ORDER BY a."PublishedAt" DESC, a."Id" DESC), '[]')))
FROM (SELECT "Id", "Slug", "Title", "Standfirst", "PublishedAt", "Takeaways"
      FROM "Articles"
      WHERE "Status" = 'Published' AND "PublishedAt" <= now()
      ORDER BY "PublishedAt" DESC, "Id" DESC
      LIMIT 20) a
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(json_build_object('name', t."Name", 'slug', t."Slug") ORDER BY t."Name"), '[]') AS list
  FROM "ArticleTags" l JOIN "Tags" t ON t."Id" = l."TagId"
  WHERE l."ArticleId" = a."Id") tags
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(json_build_object('text', k.item ->> 'Text') ORDER BY k.n), '[]') AS list
  FROM jsonb_array_elements(a."Takeaways") WITH ORDINALITY AS k(item, n)) takeaways;
