// Opens the IDE at the URL given as the first argument in Chromium (never a downloaded browser), with every request
// that would leave the machine blocked and recorded, runs the operation given as the second argument from the IDE's
// editor (with an Authorization header entered in its HTTP Headers tab when a third argument gives one), and prints
// what happened as JSON. A subscription runs over the IDE's WebSocket while drafts are created over HTTP (with the
// same token) until the first change arrives.
import { chromium } from 'playwright-core';

const [url, query, authorization] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const result = { offMachineRequests: [], graphqlRequests: 0 };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route('**/*', route => {
    const request = route.request();
    if (['localhost', '127.0.0.1'].includes(new URL(request.url()).hostname)) {
      if (request.method() === 'POST') result.graphqlRequests++;
      return route.continue();
    }
    result.offMachineRequests.push(request.url());
    return route.abort();
  });

  await page.goto(url, { waitUntil: 'networkidle' });
  result.title = await page.title();
  result.landedOn = page.url();
  await page.getByText('Create Document').click();
  await page.getByText('Schema available').waitFor({ timeout: 30_000 });
  if (authorization) {
    await page.getByText('HTTP Headers').click();
    await page.getByPlaceholder('Name').first().fill('Authorization');
    await page.getByPlaceholder('Value').first().fill(authorization);
  }
  await page.locator('.monaco-editor').first().click();
  await page.keyboard.insertText(query);
  // The IDE parses the document in the background; Run does nothing until it has, so it is pressed until the operation goes out.
  const run = page.locator('button', { hasText: /^\s*Run\s*$/ });
  result.answer = query.startsWith('subscription') ? await runSubscription(page, run) : await runQuery(page, run);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}

async function runQuery(page, run) {
  for (let attempt = 1; ; attempt++) {
    const sent = page.waitForResponse(r => r.request().method() === 'POST' && r.request().postDataJSON()?.query === query, { timeout: 2_000 })
      .catch(e => { if (attempt === 15) throw e; });
    await run.click();
    const response = await sent;
    if (response) {
      result.sentAuthorization = response.request().headers()['authorization'] ?? null;
      return await response.json();
    }
  }
}

async function runSubscription(page, run) {
  const nexts = [];
  page.on('websocket', socket => {
    result.webSocket = socket.url();
    socket.on('framesent', frame => {
      const message = JSON.parse(String(frame.payload));
      if (message.type === 'connection_init') result.sentAuthorization = message.payload?.authorization ?? message.payload?.Authorization ?? null;
    });
    socket.on('framereceived', frame => {
      const message = JSON.parse(String(frame.payload));
      if (message.type === 'next') nexts.push(message.payload);
    });
  });
  for (let attempt = 1; attempt <= 15 && nexts.length === 0; attempt++) {
    if (!result.webSocket) await run.click();
    await page.waitForTimeout(1_000);
    if (result.webSocket)
      await fetch(new URL(url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: authorization },
        body: JSON.stringify({ query: `mutation { createArticle(input: { title: "Live from the desk ${attempt}", standfirst: "S.", body: "B." }) { article { id } } }` }),
      });
  }
  await page.waitForTimeout(500);
  return nexts[0] ?? null;
}
