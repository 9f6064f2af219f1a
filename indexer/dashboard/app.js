// The dashboard page: polls the API (api.js), draws cards, charts and breakdown tables, and says
// so plainly when the indexer is still backfilling or cannot be reached. Raw API values are kept
// in `data-*` attributes so the browser test can compare them with the API's.
import { apiBase, meta, stats, SERIES } from './api.js';
import { addDays, daysBetween, denomName, duration, figureKind, formatChange, formatValue, isoDay } from './fmt.js';

const params = new URLSearchParams(window.location.search);
const REFRESH_MS = Number(params.get('refresh')) || 10_000;
// Days per range button; ALL asks for the longest range the API allows (stats::clock::MAX_DAYS)
// and starts the axis at the day of the first indexed block.
const RANGES = { '7D': 7, '1M': 30, ALL: null };
const MAX_DAYS = 3660;

const $ = (id) => document.getElementById(id);
const state = { range: '7D', running: false, again: false, timer: null, attempts: 0 };
const charts = {};

/** An element with attributes (`text` sets textContent) and children. */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

// ---- status: meta line and banner -------------------------------------------------------------

function showMeta(m) {
  const line = $('meta');
  const at = m.lastIndexedTime ? `${m.lastIndexedTime.slice(0, 16).replace('T', ' ')} UTC` : 'no block yet';
  const lag = m.lagBlocks === null ? 'chain tip not seen yet' : `${m.lagBlocks} blocks behind (${duration(m.lagSeconds)})`;
  line.textContent = `Block ${m.lastIndexedHeight.toLocaleString('en-US')} · ${at} · ${lag} · ${m.healthy ? 'healthy' : 'catching up'}`;
  line.dataset.state = m.healthy ? 'healthy' : 'behind';
  line.dataset.height = m.lastIndexedHeight;
  line.dataset.lagBlocks = m.lagBlocks ?? '';
  line.dataset.healthy = m.healthy;
}

function showBanner(kind, message) {
  const b = $('banner');
  b.dataset.kind = kind;
  b.textContent = message;
  b.hidden = false;
  document.body.dataset.state = kind;
}

function hideBanner() {
  $('banner').hidden = true;
  document.body.dataset.state = 'ok';
}

// ---- cards ------------------------------------------------------------------------------------

/** [metric id, label, kind, card, usd card] for every card, in display order. */
function cardList(d) {
  return [
    ['spendUsd', 'Spend, all denoms (USD)', 'usd', d.spendUsd],
    ...d.spend.map((s) => [`spend:${s.denom}`, `Spend in ${denomName(s.denom)}`, `denom:${s.denom}`, s.spend, s.spendUsd]),
    ['leasesOpened', 'Leases opened', 'count', d.leasesOpened],
    ['activeLeases', 'Active leases', 'count', d.activeLeases],
    ['activeGpus', 'Active GPUs', 'count', d.activeGpus],
    ['actSupply', 'ACT supply', 'denom:uact', d.actSupply],
    ['collateralRatio', 'Collateral ratio', 'bps', d.collateralRatio],
    ['aktUsd', 'AKT price (oracle)', 'price', d.aktUsd],
  ];
}

function renderCards(d) {
  const cards = cardList(d).map(([id, label, kind, card, usd]) => {
    const change = formatChange(card.value, card.compare);
    const sign = change.startsWith('+') || change === 'new' ? 'up' : change.startsWith('−') ? 'down' : 'flat';
    return el(
      'div',
      { class: 'card', 'data-metric': id, 'data-kind': kind, 'data-value': card.value ?? '', 'data-compare': card.compare ?? '' },
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value', text: formatValue(card.value, kind) }),
      el('div', { class: 'change', 'data-sign': sign, text: change ? `${change} vs ${formatValue(card.compare, kind)}` : '' }),
      usd ? el('div', { class: 'estimated', 'data-usd': usd.value ?? '', text: `≈ ${formatValue(usd.value, 'usd')}` }) : '',
      card.estimated ? el('div', { class: 'estimated', text: 'includes a carried (stale) price' }) : '',
    );
  });
  $('cards').replaceChildren(...cards);
  $('cards').dataset.height = d.height;
}

// ---- charts -----------------------------------------------------------------------------------

const COLORS = ['#d7373f', '#2f6fdb', '#17804a', '#8a4fd3', '#c77c0e'];

/** Each chart: its title and datasets [series alias, label, type]; flows count 0 on days without rows. */
const CHARTS = [
  { id: 'spendUsd', title: 'Spend per day (USD)', sets: [['spendUsd', 'Spend (USD)', 'bar']] },
  { id: 'leases', title: 'Leases', sets: [['activeLeases', 'Active', 'line'], ['leasesOpened', 'Opened in the day', 'bar']] },
  { id: 'activeGpus', title: 'Active GPUs', sets: [['activeGpus', 'Active GPUs', 'line']] },
  { id: 'actSupply', title: 'ACT supply (ACT)', sets: [['actSupply', 'ACT supply', 'line']] },
  { id: 'aktUsd', title: 'AKT price (USD, oracle)', sets: [['aktUsd', 'AKT/USD', 'line']] },
];
const FLOWS = new Set(['spendUsd', 'leasesOpened']);

/** A diagonal-stripe fill for the bar of the day in progress. */
function hatch(color) {
  const c = document.createElement('canvas');
  c.width = c.height = 8;
  const g = c.getContext('2d');
  g.fillStyle = `${color}22`;
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = color;
  g.lineWidth = 2;
  for (const o of [-8, 0, 8]) {
    g.beginPath();
    g.moveTo(o, 8);
    g.lineTo(o + 8, 0);
    g.stroke();
  }
  return g.createPattern(c, 'repeat');
}

/** The day slots of the axis: the range's days through today (ALL: from the first block's day). */
function axisDays(s, today) {
  const n = RANGES[state.range];
  return daysBetween(n ? addDays(today, -(n - 1)) : s.firstDay, today);
}

/** Values of series `alias` on `days` (numbers for the chart; tokens for denom kinds). */
function valuesOn(s, alias, days) {
  const kind = SERIES[alias][1];
  const scale = kind.startsWith('denom:') ? 1e6 : 1;
  const byDay = new Map(s[alias].map((p) => [p.time.slice(0, 10), Number(p.value) / scale]));
  return days.map((d) => byDay.get(d) ?? (FLOWS.has(alias) ? 0 : null));
}

function dataset(alias, label, type, values, inProgress, color) {
  const common = { label, data: values, type, borderColor: color, order: type === 'line' ? 0 : 1 };
  if (type === 'bar') {
    const solid = `${color}b3`;
    return { ...common, backgroundColor: inProgress.map((p) => (p ? hatch(color) : solid)), borderWidth: inProgress.map((p) => (p ? 1 : 0)) };
  }
  return {
    ...common,
    backgroundColor: color,
    pointRadius: 2.5,
    pointBackgroundColor: inProgress.map((p) => (p ? '#fff' : color)),
    spanGaps: true,
    segment: { borderDash: (ctx) => (inProgress[ctx.p1DataIndex] ? [5, 4] : undefined) },
  };
}

function renderCharts(s, today) {
  const days = axisDays(s, today);
  const box = $('charts');
  box.dataset.range = state.range;
  box.dataset.points = days.length;
  if (!window.Chart) return;
  for (const def of CHARTS) {
    if (!charts[def.id]) {
      const canvas = el('canvas', { 'aria-label': def.title, role: 'img' });
      const fig = el('figure', { class: 'chart', id: `chart-${def.id}` }, el('h3', { text: def.title }), el('div', { class: 'canvas-box' }, canvas));
      box.append(fig);
      charts[def.id] = new window.Chart(canvas, {
        type: 'bar',
        data: { labels: [], datasets: [] },
        options: {
          animation: false,
          maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: { display: def.sets.length > 1, labels: { boxWidth: 12 } },
            tooltip: { callbacks: {} },
          },
          scales: { x: { ticks: { maxRotation: 0, autoSkipPadding: 8 } }, y: { beginAtZero: def.id !== 'aktUsd' } },
        },
      });
    }
    const chart = charts[def.id];
    const flags = days.map((d) => d === today);
    chart.data.labels = days.map((d) => d.slice(5));
    chart.data.datasets = def.sets.map(([alias, label, type], i) =>
      dataset(alias, label, type, valuesOn(s, alias, days), flags, COLORS[(CHARTS.indexOf(def) + i) % COLORS.length]),
    );
    chart.options.plugins.tooltip.callbacks.title = (items) => `${days[items[0].dataIndex]}${flags[items[0].dataIndex] ? ' (in progress)' : ''}`;
    chart.update('none');
    const fig = $(`chart-${def.id}`);
    fig.dataset.points = days.length;
    fig.dataset.inProgress = flags.includes(true);
  }
}

// ---- breakdown tables -------------------------------------------------------------------------

function renderProviders(s, from) {
  const rows = new Map();
  const row = (p) => rows.get(p) ?? rows.set(p, { leases: '0', spend: 0 }).get(p);
  for (const p of s.providerLeases) row(p.provider).leases = p.value;
  for (const p of s.providerSpend) row(p.provider).spend += Number(p.value);
  const sorted = [...rows.entries()].sort((a, b) => b[1].spend - a[1].spend || a[0].localeCompare(b[0]));
  $('providers').tBodies[0].replaceChildren(
    ...sorted.map(([provider, r]) =>
      el(
        'tr',
        { 'data-provider': provider },
        el('td', { class: 'addr', text: provider }),
        el('td', { class: 'num', 'data-value': r.leases, text: formatValue(r.leases, 'count') }),
        el('td', { class: 'num', text: formatValue(r.spend, 'usd') }),
      ),
    ),
  );
  $('providers-range').textContent = `active now; spend since ${from}`;
}

/** The "by the numbers" table: the last 30 days against the 30 before, and all time. */
function renderNumbers(last30, allTime) {
  const label = (r) => (r.denom ? r.label.replace(r.denom, denomName(r.denom)) : r.label);
  const num = (value, kind) => el('td', { class: 'num', 'data-value': value, text: formatValue(value, kind) });
  $('numbers').tBodies[0].replaceChildren(
    ...last30.rows.map((r, i) => {
      const kind = figureKind(r);
      const all = allTime.rows[i];
      const sign = r.growth.startsWith('+') || r.growth === 'new' ? 'up' : r.growth.startsWith('-') ? 'down' : 'flat';
      return el(
        'tr',
        { 'data-figure': r.figure, 'data-denom': r.denom ?? '' },
        el('td', { text: `${label(r)}${r.estimated || all.estimated ? ' *' : ''}` }),
        num(r.value, kind),
        num(r.previous, kind),
        el('td', { class: 'num growth', 'data-sign': sign, 'data-growth': r.growth, text: r.growth }),
        el('td', { class: 'num', 'data-value': all.value, 'data-all': all.value, text: formatValue(all.value, kind) }),
      );
    }),
  );
  const progress = last30.inProgress ? ', today so far' : '';
  $('numbers-range').textContent = `${last30.from} – ${last30.to}${progress} vs ${last30.compareFrom} – ${last30.compareTo}`;
}

function renderGpus(d) {
  $('gpus').tBodies[0].replaceChildren(
    ...d.activeGpusByModel.map((g) =>
      el(
        'tr',
        { 'data-gpu-model': g.gpuModel },
        el('td', { text: g.gpuModel || '(no GPU)' }),
        el('td', { class: 'num', 'data-value': g.leases, text: formatValue(g.leases, 'count') }),
        el('td', { class: 'num', 'data-value': g.gpus, text: formatValue(g.gpus, 'count') }),
      ),
    ),
  );
}

// ---- the refresh loop -------------------------------------------------------------------------

async function load() {
  const m = await meta();
  showMeta(m);
  if (!m.healthy || !m.lastIndexedTime) {
    const behind = m.lagBlocks === null ? 'waiting for the chain tip' : `${m.lagBlocks.toLocaleString('en-US')} blocks behind`;
    showBanner('indexing', `Indexing… ${behind} (block ${m.lastIndexedHeight.toLocaleString('en-US')} of ${m.chainHeight?.toLocaleString('en-US') ?? '?'}). The dashboard appears once the indexer has caught up.`);
    $('content').hidden = true;
    return;
  }
  const today = isoDay(new Date(m.lastIndexedTime));
  const n = RANGES[state.range];
  const from = addDays(today, -((n ?? MAX_DAYS) - 1));
  const s = await stats(from, today, addDays(today, -29), addDays(today, -(MAX_DAYS - 1)));
  hideBanner();
  const content = $('content');
  content.hidden = false;
  content.dataset.stale = 'false';
  renderCards(s.dashboard);
  renderCharts(s, today);
  renderProviders(s, n ? from : 'the first day');
  renderGpus(s.dashboard);
  renderNumbers(s.last30, s.allTime);
}

async function refresh() {
  if (state.running) {
    state.again = true;
    return;
  }
  clearTimeout(state.timer);
  state.running = true;
  state.attempts += 1;
  document.body.dataset.attempts = state.attempts;
  try {
    await load();
  } catch (e) {
    const what = e.kind === 'unreachable' ? `Cannot reach the indexer API at ${apiBase()} (${e.message})` : `The indexer API answered with an error: ${e.message}`;
    showBanner('error', `${what}. Retrying every ${REFRESH_MS / 1000} s…`);
    const line = $('meta');
    line.dataset.state = 'error';
    if (!line.dataset.height) line.textContent = 'Not connected to the indexer';
    $('content').dataset.stale = 'true';
  } finally {
    state.running = false;
    if (state.again) {
      state.again = false;
      refresh();
    } else {
      state.timer = setTimeout(refresh, REFRESH_MS);
    }
  }
}

for (const button of document.querySelectorAll('#ranges button')) {
  button.addEventListener('click', () => {
    state.range = button.dataset.range;
    for (const b of document.querySelectorAll('#ranges button')) b.setAttribute('aria-pressed', String(b === button));
    refresh();
  });
}

document.body.dataset.state = 'loading';
// The chart library is served from node_modules: without `npm ci` the page says so (and still
// shows the cards and tables).
$('chart-missing').hidden = Boolean(window.Chart);
refresh();
