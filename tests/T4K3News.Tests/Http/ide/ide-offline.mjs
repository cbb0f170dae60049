// Opens the IDE at the URL given as the first argument in Chromium (never a downloaded browser), with every request
// that would leave the machine blocked and recorded, runs the operation given as the second argument from the IDE's
// editor (with an Authorization header entered in its HTTP Headers tab when a third argument gives one), and prints
// what happened as JSON.
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
  // The IDE parses the document in the background; Run does nothing until it has, so it is pressed until the query goes out.
  const run = page.locator('button', { hasText: /^\s*Run\s*$/ });
  for (let attempt = 1; !result.answer; attempt++) {
    const sent = page.waitForResponse(r => r.request().method() === 'POST' && r.request().postDataJSON()?.query === query, { timeout: 2_000 })
      .catch(e => { if (attempt === 15) throw e; });
    await run.click();
    const response = await sent;
    if (response) {
      result.answer = await response.json();
      result.sentAuthorization = response.request().headers()['authorization'] ?? null;
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
