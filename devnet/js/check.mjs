// Independent CometBFT 0.38 client check: CosmJS `Comet38Client` (what dapps use) reads the devnet
// RPC and prints what it decoded as JSON, for devnet/tests/it/rpc_cosmjs.rs to assert on.
//
// Usage: node check.mjs <http-url> <ws-url>
// stdout: one `{"ready":true}` line once the websocket subscriptions are open (the Rust test then
// pushes blocks), then one line with the full report. Any failure prints {"error": ...}, exit 1.

import { sha256 } from "@cosmjs/crypto";
import { fromHex, fromUtf8, toHex, toUtf8 } from "@cosmjs/encoding";
import { Comet38Client, connectComet, isComet38Client } from "@cosmjs/tendermint-rpc";

// --- CometBFT 0.38 `Header.Hash()`, written here independently of tendermint-rs ------------
// (CosmJS's own `hashBlock` still uses the pre-0.34 amino encoding and does not reproduce
// CometBFT's test vector, so it cannot be used.) Leaves: proto `Consensus` version, cdcEncode'd
// (gogoproto wrapper types) chain id / height / hashes, proto `Timestamp`, proto `BlockID`.

function varint(value) {
  let n = BigInt(value);
  const out = [];
  while (n >= 0x80n) {
    out.push(Number((n & 0x7fn) | 0x80n));
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}
const field = (tag, bytes) => (bytes.length ? [tag, ...varint(bytes.length), ...bytes] : []);
const uintField = (tag, n) => (BigInt(n) === 0n ? [] : [tag, ...varint(n)]);
const bytesValue = (bytes) => Uint8Array.from(field(0x0a, bytes)); // gogotypes.BytesValue / StringValue

function encodeTime(date) {
  const ms = BigInt(date.getTime());
  let seconds = ms / 1000n;
  let nanos = (ms % 1000n) * 1000000n + BigInt(date.nanoseconds ?? 0);
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += 1000000000n;
  }
  return Uint8Array.from([...uintField(0x08, seconds), ...uintField(0x10, nanos)]);
}

function encodeBlockId(id) {
  const hash = id ? id.hash : new Uint8Array();
  const parts = id ? [...uintField(0x08, id.parts.total), ...field(0x12, id.parts.hash)] : [];
  // part_set_header is non-nullable: always present, even when empty.
  return Uint8Array.from([...field(0x0a, hash), 0x12, ...varint(parts.length), ...parts]);
}

const leaf = (bytes) => sha256(Uint8Array.from([0, ...bytes]));
const inner = (l, r) => sha256(Uint8Array.from([1, ...l, ...r]));
function merkle(items) {
  if (items.length === 1) return leaf(items[0]);
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return inner(merkle(items.slice(0, k)), merkle(items.slice(k)));
}

function cometHeaderHash(h) {
  return merkle([
    Uint8Array.from([...uintField(0x08, h.version.block), ...uintField(0x10, h.version.app)]),
    bytesValue(toUtf8(h.chainId)),
    Uint8Array.from(uintField(0x08, h.height)),
    encodeTime(h.time),
    encodeBlockId(h.lastBlockId),
    bytesValue(h.lastCommitHash),
    bytesValue(h.dataHash),
    bytesValue(h.validatorsHash),
    bytesValue(h.nextValidatorsHash),
    bytesValue(h.consensusHash),
    bytesValue(h.appHash),
    bytesValue(h.lastResultsHash),
    bytesValue(h.evidenceHash),
    bytesValue(h.proposerAddress),
  ]);
}

// CometBFT v0.38 types/block_test.go TestHeaderHash vector: proves the hasher before use.
function selfTest() {
  const s = (x) => sha256(toUtf8(x));
  const time = new Date(Date.UTC(2019, 9, 13, 16, 14, 44));
  const got = toHex(
    cometHeaderHash({
      version: { block: 1, app: 2 },
      chainId: "chainId",
      height: 3,
      time,
      lastBlockId: { hash: new Uint8Array(32), parts: { total: 6, hash: new Uint8Array(32) } },
      lastCommitHash: s("last_commit_hash"),
      dataHash: s("data_hash"),
      validatorsHash: s("validators_hash"),
      nextValidatorsHash: s("next_validators_hash"),
      consensusHash: s("consensus_hash"),
      appHash: s("app_hash"),
      lastResultsHash: s("last_results_hash"),
      evidenceHash: s("evidence_hash"),
      proposerAddress: s("proposer_address").slice(0, 20),
    }),
  ).toUpperCase();
  const want = "F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4";
  if (got !== want) throw new Error(`header hasher self-test failed: ${got} != ${want}`);
}

const [httpUrl, wsUrl] = process.argv.slice(2);
const hex = (bytes) => toHex(bytes).toUpperCase();
const headerHash = (header) => hex(cometHeaderHash(header));
const hashTx = (tx) => sha256(tx);

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function httpChecks() {
  const auto = await connectComet(httpUrl);
  const autoIs38 = isComet38Client(auto);
  auto.disconnect();

  const client = await Comet38Client.connect(httpUrl);
  const status = await client.status();
  const latest = status.syncInfo.latestBlockHeight;

  const blocks = [];
  for (let h = 1; h <= latest; h++) {
    const b = await client.block(h);
    blocks.push({
      height: b.block.header.height,
      hash: hex(b.blockId.hash),
      recomputed: headerHash(b.block.header),
      lastBlockIdNull: b.block.header.lastBlockId === null,
      lastCommitNull: b.block.lastCommit === null,
      partsTotal: b.blockId.parts.total,
      txHashes: b.block.txs.map((tx) => hex(hashTx(tx))),
    });
  }

  const results = await client.blockResults(2);
  const blockResults = {
    height: results.height,
    txs: results.results.map((r) => ({
      code: r.code,
      codespace: r.codespace,
      dataHex: r.data === undefined ? null : hex(r.data),
      gasUsed: r.gasUsed.toString(),
      eventTypes: r.events.map((e) => e.type),
      attributeCount: r.events.reduce((n, e) => n + e.attributes.length, 0),
    })),
    finalizeBlockEvents: results.finalizeBlockEvents.map((e) => e.type),
    validatorUpdates: results.validatorUpdates.length,
    maxGas: results.consensusUpdates?.block?.maxGas ?? null,
  };

  const chain = await client.blockchain(1, latest);
  const blockchain = {
    lastHeight: chain.lastHeight,
    heights: chain.blockMetas.map((m) => m.header.height),
    hashesMatch: chain.blockMetas.every((m) => headerHash(m.header) === hex(m.blockId.hash)),
    numTxs: chain.blockMetas.map((m) => m.numTxs),
  };

  const escrow = await client.txSearch({ query: "wasm-escrow.deposited='100uakt'" });
  const byHeight = await client.txSearchAll({ query: "tx.height=2", order_by: "desc" });
  const txSearch = {
    escrowCount: escrow.totalCount,
    escrowHashes: escrow.txs.map((t) => hex(t.hash)),
    heightCount: byHeight.totalCount,
    heightIndexes: byHeight.txs.map((t) => t.index),
  };

  const firstHash = txSearch.escrowHashes[0];
  const t = await client.tx({ hash: fromHex(firstHash), prove: true });
  const tx = {
    hash: hex(t.hash),
    height: t.height,
    index: t.index,
    code: t.result.code,
    events: t.result.events.length,
    proofRoot: t.proof ? hex(t.proof.rootHash) : null,
  };

  const q = await client.abciQuery({
    path: "/cosmwasm.wasm.v1.Query/SmartContractState",
    data: Uint8Array.from([0x0a, 0x02, 0x68, 0x69]),
  });
  const abciQuery = { code: q.code, key: fromUtf8(q.key), valueHex: hex(q.value), height: q.height };

  const info = await client.abciInfo();
  const commit = await client.commit(2);
  const validators = await client.validators({ height: 2 });
  const genesis = await client.genesis();
  const blockSearch = await client.blockSearch({ query: "oracle_keeper.mode='EndBlock'" });
  await client.health();
  client.disconnect();

  return {
    autoIs38,
    status: {
      network: status.nodeInfo.network,
      version: status.nodeInfo.version,
      latest,
      earliest: status.syncInfo.earliestBlockHeight,
      latestHash: hex(status.syncInfo.latestBlockHash),
      catchingUp: status.syncInfo.catchingUp,
    },
    blocks,
    blockResults,
    blockchain,
    txSearch,
    tx,
    abciQuery,
    abciInfo: { lastBlockHeight: info.lastBlockHeight, data: info.data },
    commit: { height: commit.commit.height, headerHeight: commit.header.height, canonical: commit.canonical, blockHash: hex(commit.commit.blockId.hash) },
    validators: { count: validators.count, total: validators.total, power: validators.validators[0].votingPower.toString() },
    genesis: { chainId: genesis.chainId, validators: genesis.validators.length },
    blockSearchCount: blockSearch.totalCount,
  };
}

async function wsChecks() {
  const client = await Comet38Client.connect(wsUrl);
  const newBlocks = [];
  const txEvents = [];
  const done = new Promise((resolve, reject) => {
    const check = () => {
      if (newBlocks.length >= 2 && txEvents.length >= 2) resolve();
    };
    client.subscribeNewBlock().addListener({
      next: (b) => {
        newBlocks.push({
          height: b.header.height,
          recomputed: headerHash(b.header),
          txs: b.txs.length,
          lastCommitHash: b.lastCommit ? hex(b.lastCommit.blockId.hash) : null,
        });
        check();
      },
      error: reject,
      complete: () => reject(new Error("NewBlock stream completed")),
    });
    client.subscribeTx("execute._contract_address EXISTS").addListener({
      next: (e) => {
        txEvents.push({
          height: e.height,
          hash: hex(e.hash),
          code: e.result.code,
          dataHex: e.result.data === undefined ? null : hex(e.result.data),
          events: e.result.events.map((ev) => ev.type),
        });
        check();
      },
      error: reject,
      complete: () => reject(new Error("Tx stream completed")),
    });
  });
  // Let the subscribe requests reach the server before asking for blocks.
  await client.health();
  console.log(JSON.stringify({ ready: true }));
  await withTimeout(done, 15000, "websocket events");
  client.disconnect();
  return { newBlocks: newBlocks.slice(0, 2), txEvents: txEvents.slice(0, 2) };
}

try {
  selfTest();
  const http = await httpChecks();
  const ws = await wsChecks();
  console.log(JSON.stringify({ ...http, ws }));
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.message ?? e), stack: String(e?.stack ?? "") }));
  process.exit(1);
}
