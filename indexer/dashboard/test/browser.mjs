#!/usr/bin/env node
// The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core).
//
//   node test/browser.mjs BASE_URL [SCREENSHOT.png] [--expect=MODE] [--api=URL]
//
// BASE_URL is a running `indexer serve` (it serves the page at `/`). The API the page reads is
// BASE_URL, or --api (passed to the page as `?api=`). Modes:
// - ok (default): no console error and no failed request; every card shows the API's value for
//   the same metric (raw value in `data-value`, text formatted by fmt.js); 7D / 1M / ALL redraw
//   every chart with 7 / 30 / (days since the first block) points and the day in progress
//   marked; the provider and GPU tables list the API's; no horizontal scroll at 390×844; a
//   screenshot (SCREENSHOT, else $DASHBOARD_SCREENSHOT, else target/dashboard.png).
// - indexing: the API is backfilling; the page says "Indexing… N blocks behind" with the API's N
//   and draws no chart.
// - unreachable: the API (--api, default a closed local port) does not answer; the page says so
//   and keeps retrying.
// - no-chart-library: the server has no node_modules; the page says to run `npm ci`.
// Exits 0 and prints `RESULT {json}` on success; prints `FAIL: …` and exits 1 on any failure.
import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { formatValue, addDays, daysBetween, figureKind } from '../fmt.js';
import { PERIOD } from '../api.js';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function check(ok, message) {
  if (!ok) fail(message);
}

/** `http://127.0.0.1:PORT` of a port nothing listens on (Chromium blocks low "unsafe" ports). */
function closedPort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(`http://127.0.0.1:${port}`));
    });
  });
}

const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const positional = args.filter((a) => !a.startsWith('--'));
const base = positional[0]?.replace(/\/+$/, '');
if (!base) fail('usage: node test/browser.mjs BASE_URL [SCREENSHOT.png] [--expect=ok|indexing|unreachable|no-chart-library] [--api=URL]');
const expect = flag('expect') || 'ok';
const api = (flag('api') || (expect === 'unreachable' ? await closedPort() : base)).replace(/\/+$/, '');
const screenshot = resolve(positional[1] || process.env.DASHBOARD_SCREENSHOT || 'target/dashboard.png');

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  fail('playwright-core is not installed: run `npm ci` in indexer/dashboard');
}
check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's \`chromium\` (apt-get install chromium) or set CHROMIUM`);

/** POSTs a GraphQL query to the API; fails the test on any error. */
async function gql(query, variables = {}) {
  const r = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  check(r.ok && !body.errors, `API query failed (HTTP ${r.status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** The page's query string: `api` when the API is elsewhere, and `extra` parameters. */
function query(extra) {
  const params = new URLSearchParams(Object.entries(extra).map(([k, v]) => [k, String(v)]));
  if (api !== base) params.set('api', api);
  return params.toString();
}

/** Opens the page, recording every console error, uncaught exception and failed request. */
async function open(browser, viewport, search) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()} (${m.location().url || 'page'})`));
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  const response = await page.goto(`${base}/${search ? '?' : ''}${search}`, { timeout: TIMEOUT });
  check(response && response.ok(), `GET ${base}/ answered ${response?.status()}`);
  return { page, problems };
}

// ---- modes ------------------------------------------------------------------------------------

async function healthy(browser) {
  // The test refreshes the page itself (by clicking a range), so that the page and the API are
  // compared at the same height even on a live chain.
  const { page, problems } = await open(browser, { width: 1280, height: 900 }, query({ refresh: 3_600_000 }));
  await page.waitForSelector('body[data-state="ok"] #charts[data-points]', { timeout: TIMEOUT }).catch(async () => {
    fail(`the page never showed data; banner: ${await page.textContent('#banner')}; ${problems.join('; ')}`);
  });

  const api = await atSameHeight(page);
  const today = new Date(api._meta.lastIndexedTime).toISOString().slice(0, 10);
  const cards = await checkCards(page, api.stats.dashboard);
  const providers = await checkProviders(page, api.stats);
  const gpus = await checkGpus(page, api.stats.dashboard);
  const numbers = await checkNumbers(page, api.stats.last30, api.stats.allTime);
  const points = {};
  for (const [range, n] of [['1M', 30], ['ALL', null], ['7D', 7]]) points[range] = await checkRange(page, range, n, today);

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  check(problems.length === 0, `problems on the page:\n  ${problems.join('\n  ')}`);

  // A phone, refreshing on its own every second.
  const phone = await open(browser, { width: 390, height: 844 }, query({ refresh: 1000 }));
  await phone.page.waitForSelector('body[data-state="ok"] #charts[data-points]', { timeout: TIMEOUT });
  const widths = await phone.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(widths[0] <= widths[1], `horizontal scroll on a phone: page ${widths[0]} px wide in a ${widths[1]} px viewport`);
  await phone.page
    .waitForFunction(() => Number(document.body.dataset.attempts) >= 3 && document.body.dataset.state === 'ok', null, { timeout: TIMEOUT })
    .catch(() => fail('the page does not refresh on its own'));
  const phoneShot = `${screenshot.replace(/\.png$/, '')}-phone.png`;
  await phone.page.screenshot({ path: phoneShot, fullPage: true });
  check(phone.problems.length === 0, `problems on the phone page:\n  ${phone.problems.join('\n  ')}`);

  const height = api._meta.lastIndexedHeight;
  console.log(`RESULT ${JSON.stringify({ mode: 'ok', height, cards, providers, gpus, numbers, points, screenshot, phoneShot })}`);
}

async function indexing(browser) {
  const { page, problems } = await open(browser, { width: 1280, height: 900 }, query({}));
  await page.waitForSelector('body[data-state="indexing"]', { timeout: TIMEOUT }).catch(async () => {
    fail(`no "indexing" message; body state ${await page.getAttribute('body', 'data-state')}, banner: ${await page.textContent('#banner')}`);
  });
  const { _meta: meta } = await gql('{ _meta { lastIndexedHeight lagBlocks healthy } }');
  check(!meta.healthy, 'the API says healthy: this mode needs a backfilling indexer');
  const text = await page.textContent('#banner');
  check(await page.isVisible('#banner'), 'the indexing message is not visible');
  const behind = meta.lagBlocks === null ? 'waiting for the chain tip' : `${meta.lagBlocks.toLocaleString('en-US')} blocks behind`;
  check(text.includes('Indexing…') && text.includes(behind), `the message "${text}" does not say "Indexing… ${behind}"`);
  check(!(await page.isVisible('#charts')), 'charts are shown while backfilling');
  check(problems.length === 0, `problems on the page:\n  ${problems.join('\n  ')}`);
  console.log(`RESULT ${JSON.stringify({ mode: 'indexing', message: text, lagBlocks: meta.lagBlocks })}`);
}

async function unreachable(browser) {
  const { page, problems } = await open(browser, { width: 1280, height: 900 }, query({ refresh: 500 }));
  await page.waitForSelector('body[data-state="error"]', { timeout: TIMEOUT }).catch(() => fail('no error message for an unreachable API'));
  const text = await page.textContent('#banner');
  check(await page.isVisible('#banner'), 'the error message is not visible');
  check(text.includes(`Cannot reach the indexer API at ${api}`) && text.includes('Retrying'), `the message "${text}" does not say the API is unreachable and retried`);
  // Keeps retrying: more attempts follow the first failure.
  await page.waitForFunction(() => Number(document.body.dataset.attempts) >= 3, null, { timeout: TIMEOUT }).catch(() => fail('the page stopped retrying'));
  check(!(await page.isVisible('#charts')), 'charts are shown without an API');
  // The only acceptable failures are the requests to the unreachable API.
  const other = problems.filter((p) => !p.includes(api));
  check(other.length === 0, `problems on the page besides the unreachable API:\n  ${other.join('\n  ')}`);
  console.log(`RESULT ${JSON.stringify({ mode: 'unreachable', message: text })}`);
}

async function noChartLibrary(browser) {
  const { page, problems } = await open(browser, { width: 1280, height: 900 }, query({}));
  const message = page.locator('#chart-missing');
  await message.waitFor({ state: 'visible', timeout: TIMEOUT }).catch(() => fail('no message about the missing chart library'));
  const text = await message.textContent();
  check(text.includes('npm ci') && text.includes('indexer/dashboard'), `the message "${text}" does not say to run npm ci in indexer/dashboard`);
  const thrown = problems.filter((p) => p.startsWith('uncaught'));
  check(thrown.length === 0, `the page broke:\n  ${thrown.join('\n  ')}`);
  console.log(`RESULT ${JSON.stringify({ mode: 'no-chart-library', message: text })}`);
}

// ---- checks -----------------------------------------------------------------------------------

const CARD = 'value compare estimated';

/** Everything the page's cards, status line and tables show, in one request. */
async function snapshot() {
  const { _meta: meta } = await gql('{ _meta { lastIndexedTime } }');
  const today = new Date(meta.lastIndexedTime).toISOString().slice(0, 10);
  return gql(
    `query($from: String!, $today: String!, $from30: String!, $fromAll: String!) {
      _meta { lastIndexedHeight lastIndexedTime healthy }
      stats {
        dashboard {
          height
          spendUsd { ${CARD} } spend { denom spend { ${CARD} } }
          leasesOpened { ${CARD} } activeLeases { ${CARD} } activeGpus { ${CARD} }
          actSupply { ${CARD} } collateralRatio { ${CARD} } aktUsd { ${CARD} }
          activeGpusByModel { gpuModel leases gpus }
        }
        leases: series(metric: ACTIVE_LEASES, from: $today, groupBy: [PROVIDER]) { provider value }
        spend: series(metric: SPEND_USD, from: $from, groupBy: [PROVIDER]) { provider }
        last30: periodSummary(from: $from30, to: $today) { ${PERIOD} }
        allTime: periodSummary(from: $fromAll, to: $today) { ${PERIOD} }
      } }`,
    { from: addDays(today, -6), today, from30: addDays(today, -29), fromAll: addDays(today, -3659) },
  );
}

/**
 * The API's snapshot at the height the page shows: on a live chain a block may land between the
 * page's request and the test's, so on a mismatch the page is refreshed and the test asks again.
 */
async function atSameHeight(page) {
  for (let attempt = 1; ; attempt += 1) {
    const shown = await page.getAttribute('#cards', 'data-height');
    const api = await snapshot();
    check(api._meta.healthy, 'the API is not healthy: is the indexer caught up?');
    const height = String(api.stats.dashboard.height);
    if (height === shown && String(api._meta.lastIndexedHeight) === height) {
      check((await page.getAttribute('#meta', 'data-height')) === height, `the status line does not show _meta.lastIndexedHeight ${height}`);
      return api;
    }
    check(attempt < 10, `the page stays at height ${shown} while the API is at ${height}`);
    await page.click('#ranges button[aria-pressed="true"]');
    await page.waitForFunction((h) => document.querySelector('#cards').dataset.height !== h, shown, { timeout: 5000 }).catch(() => {});
  }
}

/** Every card against the API's dashboard: raw value exact, text formatted by fmt.js. */
async function checkCards(page, d) {
  const expected = [
    ['spendUsd', 'usd', d.spendUsd],
    ...d.spend.map((s) => [`spend:${s.denom}`, `denom:${s.denom}`, s.spend]),
    ['leasesOpened', 'count', d.leasesOpened],
    ['activeLeases', 'count', d.activeLeases],
    ['activeGpus', 'count', d.activeGpus],
    ['actSupply', 'denom:uact', d.actSupply],
    ['collateralRatio', 'bps', d.collateralRatio],
    ['aktUsd', 'price', d.aktUsd],
  ];
  const shown = await page.$$eval('.card', (cards) =>
    cards.map((c) => ({ metric: c.dataset.metric, value: c.dataset.value, text: c.querySelector('.value').textContent })),
  );
  check(shown.length === expected.length, `${shown.length} cards shown, the API has ${expected.length}: ${shown.map((c) => c.metric)}`);
  const out = {};
  for (const [metric, kind, card] of expected) {
    const c = shown.find((s) => s.metric === metric);
    check(c, `no card for ${metric}`);
    check(c.value === (card.value ?? ''), `card ${metric}: data-value ${c.value}, the API says ${card.value}`);
    const text = formatValue(card.value, kind);
    check(c.text === text, `card ${metric} shows "${c.text}", the API's ${card.value} formats as "${text}"`);
    out[metric] = card.value;
  }
  return out;
}

/** The "by the numbers" table: one row per API row, values, growth and all-time exact. */
async function checkNumbers(page, last30, allTime) {
  const rows = await page.$$eval('#numbers tbody tr', (trs) =>
    trs.map((tr) => ({
      figure: tr.dataset.figure,
      denom: tr.dataset.denom,
      cells: [...tr.children].slice(1).map((td) => ({ value: td.dataset.value ?? td.dataset.growth, text: td.textContent })),
    })),
  );
  check(rows.length === last30.rows.length && rows.length > 0, `${rows.length} figures shown, the API has ${last30.rows.length}`);
  check(allTime.rows.length === last30.rows.length, 'the all-time table has other figures');
  last30.rows.forEach((r, i) => {
    const shown = rows[i];
    const kind = figureKind(r);
    check(shown.figure === r.figure && shown.denom === (r.denom ?? ''), `row ${i}: ${shown.figure} ${shown.denom}, the API has ${r.figure} ${r.denom}`);
    const expected = [r.value, r.previous, r.growth, allTime.rows[i].value];
    shown.cells.forEach((c, k) => check(c.value === expected[k], `${r.figure} ${r.denom ?? ''} column ${k + 1}: ${c.value}, the API says ${expected[k]}`));
    check(shown.cells[0].text === formatValue(r.value, kind), `${r.figure}: "${shown.cells[0].text}" is not ${r.value} formatted`);
  });
  const created = last30.rows.find((r) => r.figure === 'DEPLOYMENTS_CREATED');
  return { figures: rows.length, deploymentsCreated30d: created?.value, growth: created?.growth };
}

/** The provider table lists exactly the API's providers (active now, or spending over 7 days). */
async function checkProviders(page, stats) {
  const expected = new Set([...stats.leases, ...stats.spend].map((p) => p.provider));
  const rows = await page.$$eval('#providers tbody tr', (trs) => trs.map((tr) => [tr.dataset.provider, tr.children[1].dataset.value]));
  const shown = new Set(rows.map(([p]) => p));
  check(expected.size > 0, 'the API lists no provider');
  const missing = [...expected].filter((p) => !shown.has(p));
  const extra = [...shown].filter((p) => !expected.has(p));
  check(missing.length === 0 && extra.length === 0, `provider table: missing ${missing}, unexpected ${extra}`);
  for (const l of stats.leases) {
    const [, v] = rows.find(([p]) => p === l.provider);
    check(v === l.value, `provider ${l.provider}: ${v} active leases shown, the API says ${l.value}`);
  }
  return Object.fromEntries(rows);
}

/** The GPU table equals the dashboard's active GPUs by model. */
async function checkGpus(page, d) {
  const rows = await page.$$eval('#gpus tbody tr', (trs) =>
    trs.map((tr) => ({ gpuModel: tr.dataset.gpuModel, leases: Number(tr.children[1].dataset.value), gpus: Number(tr.children[2].dataset.value) })),
  );
  const expected = d.activeGpusByModel;
  check(JSON.stringify(rows) === JSON.stringify(expected), `GPU table ${JSON.stringify(rows)} ≠ API ${JSON.stringify(expected)}`);
  return rows;
}

/** Clicks a range button: every chart redraws with that many daily points, today marked. */
async function checkRange(page, range, n, today) {
  let days = n;
  if (n === null) {
    const data = await gql('{ blocks(first: 1, orderBy: HEIGHT_ASC) { edges { node { blockTime } } } }');
    const first = new Date(data.blocks.edges[0].node.blockTime).toISOString().slice(0, 10);
    days = daysBetween(first, today).length;
  }
  await page.click(`#ranges button[data-range="${range}"]`);
  await page.waitForSelector(`#charts[data-range="${range}"]`, { timeout: TIMEOUT }).catch(() => fail(`the charts did not redraw for ${range}`));
  const drawn = await page.$$eval('#charts figure.chart', (figs) =>
    figs.map((f) => {
      const chart = window.Chart.getChart(f.querySelector('canvas'));
      return {
        id: f.id,
        points: Number(f.dataset.points),
        labels: chart.data.labels.length,
        sets: chart.data.datasets.map((d) => d.data.length),
        inProgress: f.dataset.inProgress,
      };
    }),
  );
  check(drawn.length >= 4, `${drawn.length} charts drawn`);
  for (const c of drawn) {
    check(c.points === days && c.labels === days && c.sets.every((l) => l === days), `${range}: chart ${c.id} drew ${JSON.stringify(c)}, expected ${days} days`);
    check(c.inProgress === 'true', `${range}: chart ${c.id} does not mark the day in progress`);
  }
  check(await page.isVisible('.legend-note'), 'the in-progress legend note is not visible');
  return days;
}

// ---- run (last: every helper above is defined) ----------------------------------------------

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true }).catch((e) => fail(`cannot start ${CHROMIUM}: ${e.message}`));
try {
  if (expect === 'ok') await healthy(browser);
  else if (expect === 'indexing') await indexing(browser);
  else if (expect === 'unreachable') await unreachable(browser);
  else if (expect === 'no-chart-library') await noChartLibrary(browser);
  else fail(`unknown --expect=${expect}`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
