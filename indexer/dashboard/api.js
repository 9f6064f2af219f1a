// The page's only access to data: the indexer's public GraphQL API (`_meta` and `stats`).
// Switching to the REST routes would change this file alone.

/** Where the API lives: `?api=URL` on the page's address, else the server that served the page. */
export function apiBase() {
  const given = new URLSearchParams(window.location.search).get('api');
  return (given || window.location.origin).replace(/\/+$/, '');
}

/** A failed request: `unreachable` (network), `unavailable` (503), or the API's error code. */
export class ApiError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

async function graphql(query, variables = {}) {
  let response;
  try {
    response = await fetch(`${apiBase()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('unreachable', e.message);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError('unavailable', `${apiBase()}/graphql answered HTTP ${response.status}`);
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    throw new ApiError(e.extensions?.code || 'ERROR', e.message);
  }
  if (!response.ok) throw new ApiError('unavailable', `HTTP ${response.status}`);
  return body.data;
}

const META = `{ _meta { lastIndexedHeight lastIndexedTime chainHeight lagBlocks lagSeconds healthy } }`;

/** Where indexing stands (`_meta`). */
export async function meta() {
  return (await graphql(META))._meta;
}

const CARD = 'value compare estimated';
const POINT = 'time inProgress value estimated';

/** The daily series the charts draw, by the alias the page uses: [metric, kind]. */
export const SERIES = {
  spendUsd: ['SPEND_USD', 'usd'],
  leasesOpened: ['LEASES_OPENED', 'count'],
  activeLeases: ['ACTIVE_LEASES', 'count'],
  activeGpus: ['ACTIVE_GPUS', 'count'],
  actSupply: ['ACT_SUPPLY', 'denom:uact'],
  aktUsd: ['ORACLE_PRICE', 'price'],
};

/** A period summary's fields (the "by the numbers" table). */
export const PERIOD = 'from to compareFrom compareTo inProgress rows { figure label denom value previous growth estimated }';

function statsQuery() {
  const series = Object.entries(SERIES)
    .map(([alias, [metric]]) => `${alias}: series(metric: ${metric}, from: $from) { ${POINT} }`)
    .join('\n    ');
  return `query Dashboard($from: String!, $today: String!, $from30: String!, $fromAll: String!) {
  firstBlock: blocks(first: 1, orderBy: HEIGHT_ASC) { edges { node { blockTime } } }
  stats {
    dashboard {
      height time compareHeight
      spend { denom spend { ${CARD} } spendUsd { ${CARD} } }
      spendUsd { ${CARD} } leasesOpened { ${CARD} } activeLeases { ${CARD} }
      activeGpus { ${CARD} } actSupply { ${CARD} } collateralRatio { ${CARD} } aktUsd { ${CARD} }
      activeGpusByModel { gpuModel leases gpus }
    }
    ${series}
    providerLeases: series(metric: ACTIVE_LEASES, from: $today, groupBy: [PROVIDER]) { provider value }
    providerSpend: series(metric: SPEND_USD, from: $from, groupBy: [PROVIDER]) { provider value }
    last30: periodSummary(from: $from30, to: $today) { ${PERIOD} }
    allTime: periodSummary(from: $fromAll, to: $today) { ${PERIOD} }
  }
}`;
}

/**
 * The cards, the daily series from `from` (a `YYYY-MM-DD` day) through the day in progress, the
 * breakdowns (active leases per provider on `today`, spend per provider since `from`), the
 * period summaries from `from30` and from `fromAll` through today, and `firstDay`: the day of
 * the first indexed block (where ALL starts).
 */
export async function stats(from, today, from30, fromAll) {
  const data = await graphql(statsQuery(), { from, today, from30, fromAll });
  const first = data.firstBlock.edges[0]?.node.blockTime;
  return { ...data.stats, firstDay: first ? new Date(first).toISOString().slice(0, 10) : today };
}
