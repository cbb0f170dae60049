// Fan-out benchmark for live changes: N editor sockets subscribe to articleChanged, one editor retitles an article
// W times, and we measure how long each change takes from sending the mutation to its arrival on every socket
// (beside the mutation's own round trip, for comparison).
// Usage: T4K3NEWS_TOKEN=t4k_... node --experimental-websocket tests/benchmarks/live-changes.mjs [url] [sockets] [writes]
const [url = 'http://localhost:5080/graphql', sockets = '200', writes = '50'] = process.argv.slice(2);
const token = process.env.T4K3NEWS_TOKEN;
if (!token) throw new Error('Set T4K3NEWS_TOKEN to an editor token.');

async function graphql(query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function subscriber(onChange) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    socket.onerror = reject;
    socket.onmessage = ({ data }) => {
      const message = JSON.parse(data);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: 'subscription { articleChanged { version } }' } }));
        socket.send(JSON.stringify({ type: 'ping' }));
      } else if (message.type === 'pong') {
        resolve(socket);
      } else if (message.type === 'next') {
        onChange(message.payload.data.articleChanged.version);
      }
    };
  });
}

const arrivals = new Map(); // version -> number of sockets it reached
const waiting = new Map(); // version -> resolve, once every socket has it
const count = Number(sockets);
const onChange = version => {
  const reached = (arrivals.get(version) ?? 0) + 1;
  arrivals.set(version, reached);
  if (reached === count) waiting.get(version)?.();
};

const connectStart = performance.now();
const open = [];
for (let i = 0; i < count; i++) open.push(await subscriber(onChange));
const connectMs = performance.now() - connectStart;

const { articles } = await graphql('{ articles(first: 1) { nodes { id version } } }');
let { id, version } = articles.nodes[0];
const latencies = [], roundTrips = [];
for (let w = 0; w < Number(writes); w++) {
  const everywhere = new Promise(resolve => waiting.set(version + 1, resolve));
  const sent = performance.now();
  const data = await graphql(`mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { __typename } } }`,
    { input: { id, expectedVersion: version, title: `Live benchmark ${w} ${Date.now()}` } });
  roundTrips.push(performance.now() - sent);
  version = data.updateArticle.article.version;
  await everywhere;
  latencies.push(performance.now() - sent);
}

const summary = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = p => Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
  return { p50: at(0.5), p95: at(0.95), max: Number(sorted.at(-1).toFixed(1)) };
};
console.log(JSON.stringify({ sockets: count, writes: Number(writes), connectAllMs: Math.round(connectMs),
  mutationRoundTripMs: summary(roundTrips), deliveredToAllSocketsMs: summary(latencies) }));
for (const socket of open) socket.close();
