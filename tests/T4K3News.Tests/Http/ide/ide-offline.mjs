// Opens the IDE at the URL given as the first argument in Chromium (never a downloaded browser), with every request
// that would leave the machine blocked and recorded, runs the operation given as the second argument from the IDE's
// editor (with an Authorization header entered in its HTTP Headers tab when a third argument gives one), and prints
// what happened as JSON: among it every console error and every request to this server that failed or got a 4xx/5xx,
// from the page and its service worker alike. A subscription runs over the IDE's WebSocket while drafts are created
// over HTTP (with the same token) until the first change arrives.
import { chromium } from 'playwright-core';

const [url, query, authorization] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const result = { offMachineRequests: [], graphqlRequests: 0, consoleErrors: [], failedRequests: [] };
const onThisMachine = address => ['localhost', '127.0.0.1'].includes(new URL(address).hostname);
let recording = true;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('console', message => {
    if (recording && message.type() === 'error') result.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  context.on('weberror', error => { if (recording) result.consoleErrors.push(`uncaught: ${error.error().message}`); });
  context.on('requestfailed', request => {
    if (recording && onThisMachine(request.url())) result.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  context.on('response', async response => {
    if (!recording || !onThisMachine(response.url()) || response.status() < 400) return;
    const request = response.request();
    const failed = `${request.method()} ${response.url()} ${(request.postData() ?? '').slice(0, 300)}: ${response.status()}`;
    result.failedRequests.push(failed);
    const body = await response.text().catch(() => '');
    result.failedRequests[result.failedRequests.indexOf(failed)] = `${failed} ${body.slice(0, 300)}`;
  });
  const page = await context.newPage();
  await page.route('**/*', route => {
    const request = route.request();
    if (onThisMachine(request.url())) {
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
  // The IDE takes the document in the background (a Run pressed before sends the previous, empty one, which the server
  // rightly refuses) and then shows a "Run ▷" code lens over the operation. Run is still pressed until the operation goes out.
  await page.locator('.monaco-editor .codelens-decoration').getByText('Run').waitFor({ timeout: 30_000 });
  const run = page.locator('button', { hasText: /^\s*Run\s*$/ });
  result.answer = query.startsWith('subscription') ? await runSubscription(page, run) : await runQuery(page, run);
} finally {
  recording = false; // closing the browser cuts what is still open; that is not the IDE failing
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
