// Connects with graphql-ws (the reference client) as the editor whose token is the second argument, runs a query over
// the socket, subscribes to articleChanged for the article given as the third argument, retitles that article over
// HTTP until the change arrives, and prints what the socket delivered as JSON.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [graphqlUrl, token, articleId] = process.argv.slice(2);
const authorization = `Bearer ${token}`;
const client = createClient({
  url: graphqlUrl.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: authorization },
  retryAttempts: 0,
});

const post = async (query, variables) => {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()).data;
};

const output = {};
try {
  for await (const result of client.iterate({ query: '{ __typename }' }))
    output.query = result;

  const changes = client.iterate({
    query: 'subscription ($id: ID) { articleChanged(id: $id) { articleId version changedFields article { title } } }',
    variables: { id: articleId },
  });
  const firstChange = changes.next();
  for (let attempt = 1; attempt <= 20 && !output.change; attempt++) {
    const { node } = await post('query ($id: ID!) { node(id: $id) { ... on Article { version } } }', { id: articleId });
    await post('mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } } }',
      { input: { id: articleId, expectedVersion: node.version, title: `Live title ${attempt}` } });
    const arrived = await Promise.race([firstChange, new Promise(resolve => setTimeout(() => resolve(null), 500))]);
    if (arrived)
      output.change = arrived.value;
  }
  await changes.return();
} finally {
  await client.dispose();
}
console.log(JSON.stringify(output));
