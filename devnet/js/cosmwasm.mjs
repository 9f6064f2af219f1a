// CosmJS `CosmWasmClient` (what dapps use to read contracts) against the devnet: chain id,
// height, account, balance, codes, contract info, smart and raw queries and tx search, all
// through the standard `abci_query` gRPC paths with protobuf, decoded by CosmJS itself.
// Printed as one JSON line for devnet/tests/it/e2e_cosmjs.rs to compare with the chain.
//
// Usage: node cosmwasm.mjs <rpc-url> <escrow-address> <account-address>
// stdout: one JSON object. Any failure prints {"error": ..., "step": ...} and exits 1.

import { createHash } from "node:crypto";

import { CosmWasmClient } from "@cosmjs/cosmwasm";
import { fromUtf8, toHex, toUtf8 } from "@cosmjs/encoding";

const [url, escrow, account] = process.argv.slice(2);
if (!url || !escrow || !account) {
  console.log(JSON.stringify({ error: "usage: node cosmwasm.mjs <rpc-url> <escrow-address> <account-address>" }));
  process.exit(2);
}

let step = "connect";
const at = async (name, f) => {
  step = name;
  return f();
};

async function main() {
  const client = await CosmWasmClient.connect(url);
  const report = {};
  try {
    report.chainId = await at("getChainId", () => client.getChainId());
    report.height = await at("getHeight", () => client.getHeight());

    const acc = await at("getAccount", () => client.getAccount(account));
    report.account = acc && {
      address: acc.address,
      accountNumber: acc.accountNumber,
      sequence: acc.sequence,
      pubkey: acc.pubkey,
    };
    report.balance = await at("getBalance", () => client.getBalance(account, "uakt"));

    report.codes = await at("getCodes", () => client.getCodes());

    const contract = await at("getContract", () => client.getContract(escrow));
    report.contract = {
      address: contract.address,
      codeId: contract.codeId,
      creator: contract.creator,
      admin: contract.admin ?? null,
      label: contract.label,
      ibcPortId: contract.ibcPortId ?? null,
    };

    const details = await at("getCodeDetails", () => client.getCodeDetails(contract.codeId));
    report.codeDetails = {
      id: details.id,
      creator: details.creator,
      checksum: details.checksum,
      dataLength: details.data.length,
      dataSha256: createHash("sha256").update(details.data).digest("hex"),
    };

    report.contracts = await at("getContracts", () => client.getContracts(contract.codeId));
    report.config = await at("queryContractSmart", () =>
      client.queryContractSmart(escrow, { config: {} }),
    );

    const raw = await at("queryContractRaw", () =>
      client.queryContractRaw(escrow, toUtf8("contract_info")),
    );
    report.cw2 = raw === null ? null : JSON.parse(fromUtf8(raw));
    const missing = await at("queryContractRaw(missing)", () =>
      client.queryContractRaw(escrow, toUtf8("no-such-key")),
    );
    report.rawMissing = missing === null ? null : toHex(missing);

    const txs = await at("searchTx", () =>
      client.searchTx([{ key: "execute._contract_address", value: escrow }]),
    );
    report.searchTx = {
      count: txs.length,
      heights: txs.map((t) => t.height),
      codes: txs.map((t) => t.code),
    };
    const first = txs[0];
    if (first) {
      const tx = await at("getTx", () => client.getTx(first.hash));
      report.tx = tx && {
        hash: tx.hash,
        height: tx.height,
        txIndex: tx.txIndex,
        code: tx.code,
        gasUsed: String(tx.gasUsed),
        gasWanted: String(tx.gasWanted),
        eventTypes: tx.events.map((e) => e.type),
        executeContract: tx.events
          .filter((e) => e.type === "execute")
          .flatMap((e) => e.attributes.filter((a) => a.key === "_contract_address").map((a) => a.value)),
        txBytes: tx.tx.length,
        msgResponses: tx.msgResponses.map((m) => m.typeUrl),
      };
    }
  } finally {
    client.disconnect();
  }
  return report;
}

try {
  const report = await main();
  console.log(JSON.stringify(report, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.stack ?? e), step }));
  process.exit(1);
}
