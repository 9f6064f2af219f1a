// How the dashboard shows numbers. Pure functions, no DOM: the browser test imports this file to
// format the API's values the same way and compare them with the page's text.
//
// The API sends exact decimal strings; the page keeps them verbatim in `data-value` attributes
// and only rounds for display.

// Whole-token names of the denoms we know (packages/chain: AKT_DENOM, ACT_DENOM, USDC_DENOM).
const DENOMS = {
  uakt: 'AKT',
  uact: 'ACT',
  'ibc/7CBFAFFC5C3EC4EE5A843DFC943E3F82865B07D7D7AFB054A3704680A53A29FB': 'USDC',
};

// Base units per whole token of every denom we price (supercloud_chain::BASE_UNITS_PER_TOKEN).
const BASE_UNITS = 1e6;

/** The display name of a denom: AKT, ACT, USDC, else the denom shortened. */
export function denomName(denom) {
  if (DENOMS[denom]) return DENOMS[denom];
  return denom.length > 14 ? `${denom.slice(0, 10)}…` : denom;
}

function number(x, digits) {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A compact count or amount: 1234 → "1,234", 1.5e6 → "1.50M". */
export function compact(x) {
  const abs = Math.abs(x);
  if (abs >= 1e9) return `${number(x / 1e9, 2)}B`;
  if (abs >= 1e6) return `${number(x / 1e6, 2)}M`;
  if (abs >= 1e4) return `${number(x / 1e3, 1)}k`;
  return number(x, Number.isInteger(x) ? 0 : 2);
}

/**
 * A value of kind `kind` for display. Kinds: `usd` (whole dollars), `price` (USD per token),
 * `count`, `bps` (basis points, shown as %), or `denom:<denom>` (base units, shown in tokens).
 * Absent values (null: e.g. no price yet) show as "—".
 */
export function formatValue(value, kind) {
  if (value === null || value === undefined || value === '') return '—';
  const x = Number(value);
  if (!Number.isFinite(x)) return String(value);
  if (kind === 'usd') return `$${compact(x)}`;
  if (kind === 'price') return `$${number(x, 4)}`;
  if (kind === 'bps') return `${number(x / 100, 2)}%`;
  if (kind === 'count') return compact(x);
  if (kind.startsWith('denom:')) return `${compact(x / BASE_UNITS)} ${denomName(kind.slice(6))}`;
  return String(value);
}

/** The display kind (see `formatValue`) of a period summary row (`stats.periodSummary`). */
export function figureKind(row) {
  switch (row.figure) {
    case 'SPEND':
      return `denom:${row.denom}`;
    case 'TOTAL_USD_SPENT':
    case 'AVERAGE_FEE_PER_LEASE':
    case 'PIP_PAID_USD':
      return 'usd';
    case 'ACT_MINTED':
    case 'ACT_BURNED':
      return 'denom:uact';
    default:
      return 'count';
  }
}

/** The change from `compare` to `value`: "+12.3%", "−4.0%", "±0%", "new" or "" when unknown. */
export function formatChange(value, compare) {
  if (value === null || value === undefined || compare === null || compare === undefined) return '';
  const v = Number(value);
  const c = Number(compare);
  if (!Number.isFinite(v) || !Number.isFinite(c)) return '';
  if (c === 0) return v === 0 ? '±0%' : 'new';
  const pct = ((v - c) / Math.abs(c)) * 100;
  if (Math.abs(pct) < 0.05) return '±0%';
  return `${pct > 0 ? '+' : '−'}${number(Math.abs(pct), 1)}%`;
}

/** `YYYY-MM-DD` of a Date, in UTC. */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** The UTC day `n` days after `day` (`YYYY-MM-DD`), negative `n` before. */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/** Every UTC day from `from` to `to` inclusive. */
export function daysBetween(from, to) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Seconds as "45 s", "12 min", "3.2 h", "2.0 d". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${number(seconds / 3600, 1)} h`;
  return `${number(seconds / 86400, 1)} d`;
}
