// Load benchmark for the reading API: a page of 50 articles with every child list, as a front page asks for it.
// Usage: node tests/benchmarks/front-page.mjs [url] [requests] [concurrency]
//   T4K3NEWS_TOKEN=t4k_... seeds published articles through the real mutations until there are at least 60.
const [url = 'http://localhost:5080/graphql', total = '2000', concurrency = '16'] = process.argv.slice(2);
const token = process.env.T4K3NEWS_TOKEN;

async function graphql(query, variables, auth) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function seed() {
  const { articles } = await graphql('{ articles { totalCount } }');
  for (let n = articles.totalCount; n < 60; n++) {
    const created = await graphql(
      `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } errors { __typename } } }`,
      { input: { title: `Benchmark story ${n} ${Date.now()}`, standfirst: 'Standfirst.', body: 'Body.\n\nMore body.',
        takeaways: ['One', 'Two', 'Three'], highlights: ['A', 'B'], quotes: [{ text: 'Quote.', context: 'Context.' }],
        callouts: [{ title: 'Box', body: 'Box body.' }] } }, token);
    const { id, version } = created.createArticle.article;
    await graphql(`mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { errors { __typename } } }`,
      { input: { id, expectedVersion: version } }, token);
  }
}

const frontPage = `{
  articles(first: 50) {
    totalCount
    nodes {
      id slug title standfirst publishedAt heroImage { altText caption } publication { name }
      takeaways { text } quotes { text speaker context } highlights { text } callouts { title body }
      tags { slug name articleCount } relatedArticles { slug title }
    }
  }
}`;

if (token) await seed();
await graphql(frontPage);
const latencies = [];
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (next++ < Number(total)) {
    const t = performance.now();
    await graphql(frontPage, undefined, token);
    latencies.push(performance.now() - t);
  }
}));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(JSON.stringify({ requests: latencies.length, concurrency: Number(concurrency), seconds: +seconds.toFixed(2),
  requestsPerSecond: +(latencies.length / seconds).toFixed(1), p50ms: +at(0.5), p95ms: +at(0.95), p99ms: +at(0.99) }));
