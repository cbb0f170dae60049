-- The search page's physical limit, one statement answering the same JSON as the server's "data" for
--   { searchArticles(query "glacier lighthouse", first 20) { nodes { article { slug title } score snippet } } }
-- (ReadDataSet.SearchQuery): the GIN index finds the matches readers may see, ts_rank_cd ranks them (newest first
-- among equals), and only the 20 kept get their snippet: the standfirst and body HTML-escaped, matches in <mark>.
SELECT json_build_object('searchArticles', json_build_object('nodes', coalesce(json_agg(json_build_object(
         'article', json_build_object('slug', a."Slug", 'title', a."Title"),
         'score', m.score,
         'snippet', ts_headline('english',
             replace(replace(replace(replace(replace(concat_ws(E'\n\n', a."Standfirst", a."Body"),
                 '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'),
             m.q, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'))
       ORDER BY m.score DESC, m."PublishedAt" DESC, m."Id" DESC), '[]')))
FROM (SELECT a."Id", a."PublishedAt", ts_rank_cd(a."SearchDocument", q) AS score, q
      FROM "Articles" a, websearch_to_tsquery('english', 'glacier lighthouse') q
      WHERE a."SearchDocument" @@ q AND a."Status" = 'Published' AND a."PublishedAt" <= now()
      ORDER BY score DESC, a."PublishedAt" DESC, a."Id" DESC
      LIMIT 20) m
JOIN "Articles" a ON a."Id" = m."Id";
