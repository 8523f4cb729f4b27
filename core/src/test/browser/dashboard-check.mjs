// Loads the tickvault dashboard in headless Chromium, waits for the chart to draw and then to update from live
// trades, checks the order book and feed panels, and saves a screenshot. Prints a JSON summary; exits 1 on failure.
// Usage: node dashboard-check.mjs URL SCREENSHOT.png
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__tickvault && window.__tickvault.candles > 0, null, { timeout: 60000 });
  const first = await page.evaluate(() => ({ candles: window.__tickvault.candles, updates: window.__tickvault.updates }));
  // The chart must change: live trades update the forming candle (or open new ones).
  await page.waitForFunction((before) => window.__tickvault.updates > before.updates + 5, first, { timeout: 60000 });
  const later = await page.evaluate(() => ({ candles: window.__tickvault.candles, updates: window.__tickvault.updates, trades: window.__tickvault.trades }));
  // Something was drawn: the chart's canvases hold non-background pixels.
  const painted = await page.evaluate(() => {
    let count = 0;
    for (const canvas of document.querySelectorAll('#chart canvas')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4 * 97) {
        if (data[i + 3] !== 0 && (data[i] !== 15 || data[i + 1] !== 20 || data[i + 2] !== 25)) count++;
      }
    }
    return count;
  });
  await page.waitForFunction(() => document.querySelectorAll('#book tbody tr').length > 0 ||
    document.getElementById('book-note').textContent.length > 0, null, { timeout: 30000 });
  const bookRows = await page.locator('#book tbody tr').count();
  const bookNote = await page.locator('#book-note').textContent();
  const feedRows = await page.locator('#feeds tbody tr').count();
  await page.screenshot({ path: screenshot, fullPage: true });
  if (painted < 50) problems.push('chart looks empty (' + painted + ' painted samples)');
  console.log(JSON.stringify({ first, later, painted, bookRows, bookNote, feedRows, problems }));
} catch (e) {
  problems.push(String(e));
  console.log(JSON.stringify({ problems }));
} finally {
  await browser.close();
}
process.exit(problems.length === 0 ? 0 : 1);
