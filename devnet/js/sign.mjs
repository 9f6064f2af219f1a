// CosmJS `SigningCosmWasmClient` (what dapps use to write to contracts) against the devnet, as a
// dapp would use it: a `DirectSecp256k1HdWallet` from the devnet's mnemonic (BIP-44 index 0, the
// "dev" account), fee "auto" (Simulate through `abci_query`), `broadcast_tx_sync`, then polling
// for the tx. Opens an escrow account with a deposit and a payment on it, reads both back with
// smart queries and the txs back with `getTx` (tx_search) and the GetTx gRPC path; then the
// refusals, each through `Comet38Client.broadcastTxSync` with raw bytes so the code the chain
// gave can be read: garbage, an altered signature, a wrong sequence, an unknown fee payer, a fee
// above the balance, a fee below the minimum gas price, an oversized tx, a flood from one sender
// and a tx sent twice. Printed as one JSON line for devnet/tests/it/cosmjs_sign.rs to compare
// with the chain.
//
// Usage: node sign.mjs <rpc-url> <mnemonic> <escrow-address>
// stdout: one JSON object. Any failure of the dapp flow prints {"error": ..., "step": ...} and
// exits 1; a refusal case that could not be run records its own {"error": ...} in the report.

import { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { fromUtf8, toHex, toUtf8 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { GasPrice, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { GetTxRequest, GetTxResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContractResponse } from "cosmjs-types/cosmwasm/wasm/v1/tx";

const [url, mnemonic, escrow] = process.argv.slice(2);
if (!url || !mnemonic || !escrow) {
  console.log(JSON.stringify({ error: "usage: node sign.mjs <rpc-url> <mnemonic> <escrow-address>" }));
  process.exit(2);
}

const PREFIX = "akash";
const DENOM = "uakt";
const DSEQ = 190019;
const DEPOSIT = 5_000_000;
const RATE = "1.5";
/** Txs in the flood: more than the devnet's per-sender mempool cap (16, chain/mempool.rs). */
const FLOOD = 20;
/** The fixed fee of the hand-built txs: exactly the minimum, 0.025uakt × 200000 gas. */
const GAS = 200_000;
const FEE = { amount: [coin(5_000, DENOM)], gas: String(GAS) };
const MAX_TX_BYTES = 1_048_576;

let step = "connect";
const at = async (name, f) => {
  step = name;
  return f();
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sha256Hex(bytes) {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return toHex(new Uint8Array(digest)).toUpperCase();
}

/** Bank MsgSend as an EncodeObject (the default registry knows it). */
const send = (from, to, amount) => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: { fromAddress: from, toAddress: to, amount: [coin(amount, DENOM)] },
});

/** The JSON the contract set as response data of the tx's first message. */
function responseData(msgResponses) {
  const first = msgResponses[0];
  if (!first) return null;
  const data = MsgExecuteContractResponse.decode(first.value).data;
  return data.length ? JSON.parse(fromUtf8(data)) : null;
}

/** A `broadcast_tx_sync` answer or JSON-RPC refusal, as plain JSON. */
async function broadcastRaw(comet, bytes) {
  const hash = await sha256Hex(bytes);
  try {
    const r = await comet.broadcastTxSync({ tx: bytes });
    return {
      hash,
      returnedHash: toHex(r.hash).toUpperCase(),
      code: r.code,
      codespace: r.codespace ?? "",
      log: r.log ?? "",
    };
  } catch (e) {
    return { hash, rpcError: String(e?.message ?? e) };
  }
}

const encodeTx = (raw) => TxRaw.encode(raw).finish();

async function waitForHeightAbove(comet, height, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = (await comet.status()).syncInfo.latestBlockHeight;
    if (h > height) return h;
    if (Date.now() > deadline) throw new Error(`no block above ${height} in ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function main() {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX });
  const [{ address: dev }] = await wallet.getAccounts();
  const options = { gasPrice: GasPrice.fromString(`0.025${DENOM}`), broadcastPollIntervalMs: 250 };
  const client = await SigningCosmWasmClient.connectWithSigner(url, wallet, options);
  const comet = await Comet38Client.connect(url);
  const report = { dev, dseq: DSEQ, deposit: String(DEPOSIT), rate: RATE };
  try {
    const chainId = (report.chainId = await at("getChainId", () => client.getChainId()));
    const before = await at("getAccount(dev)", () => client.getAccount(dev));
    report.devBefore = { accountNumber: before.accountNumber, sequence: before.sequence };

    // A second wallet from a fresh random mnemonic (index 1): the provider of the payment and,
    // having no account on chain, the unknown fee payer; a third address is the poor one.
    const stranger = await DirectSecp256k1HdWallet.generate(24, {
      prefix: PREFIX,
      hdPaths: [makeCosmoshubPath(1), makeCosmoshubPath(2)],
    });
    const [{ address: provider }, { address: poor }] = await stranger.getAccounts();
    report.provider = provider;
    report.poor = poor;
    // CosmJS answers null for an address the chain has never seen (it matches the SDK's
    // "rpc error: code = NotFound" in the query's log); anything else throws.
    try {
      report.neverSeen = { account: await client.getAccount(provider) };
    } catch (e) {
      report.neverSeen = { error: String(e?.message ?? e) };
    }

    // --- The dapp flow: fee "auto" simulates, broadcast_tx_sync, poll for the tx. -------------
    step = "simulate(open_account)";
    const openMsg = { open_account: { dseq: DSEQ, denom: DENOM } };
    const openFunds = [coin(DEPOSIT, DENOM)];
    report.simulatedOpenGas = await client.simulate(
      dev,
      [
        {
          typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
          value: { sender: dev, contract: escrow, msg: toUtf8(JSON.stringify(openMsg)), funds: openFunds },
        },
      ],
      "issue 19: open_account",
    );
    const open = await at("execute(open_account)", () =>
      client.execute(dev, escrow, openMsg, "auto", "issue 19: open_account", openFunds),
    );
    const payMsg = {
      open_payment: { dseq: DSEQ, provider, rate: RATE, resources: { gpu_model: "h100", gpu_count: 1 } },
    };
    const pay = await at("execute(open_payment)", () => client.execute(dev, escrow, payMsg, "auto"));

    const described = async (name, result) => {
      const tx = await at(`getTx(${name})`, () => client.getTx(result.transactionHash));
      const raw = TxRaw.decode(tx.tx);
      const authInfo = AuthInfo.decode(raw.authInfoBytes);
      const body = TxBody.decode(raw.bodyBytes);
      return {
        hash: result.transactionHash,
        height: result.height,
        gasWanted: String(result.gasWanted),
        gasUsed: String(result.gasUsed),
        getTx: {
          hash: tx.hash,
          height: tx.height,
          txIndex: tx.txIndex,
          code: tx.code,
          gasWanted: String(tx.gasWanted),
          gasUsed: String(tx.gasUsed),
          msgResponses: tx.msgResponses.map((m) => m.typeUrl),
          data: responseData(tx.msgResponses),
          eventTypes: [...new Set(tx.events.map((e) => e.type))],
          fee: authInfo.fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
          gasLimit: String(authInfo.fee.gasLimit),
          sequence: String(authInfo.signerInfos[0]?.sequence),
          memo: body.memo,
        },
      };
    };
    report.open = await described("open_account", open);
    report.pay = await described("open_payment", pay);
    const paymentId = report.pay.getTx.data?.payment_id;

    report.account = await at("queryContractSmart(account)", () =>
      client.queryContractSmart(escrow, { account: { owner: dev, dseq: DSEQ } }),
    );
    report.payment = await at("queryContractSmart(payment)", () =>
      client.queryContractSmart(escrow, { payment: { owner: dev, dseq: DSEQ, payment_id: paymentId } }),
    );

    // GetTx through abci_query, once with the client's tx extension and once raw.
    const query = client.forceGetQueryClient();
    const viaExtension = await at("tx.getTx", () => query.tx.getTx(report.open.hash));
    const rawAnswer = await at("abciQuery(GetTx)", () =>
      comet.abciQuery({
        path: "/cosmos.tx.v1beta1.Service/GetTx",
        data: GetTxRequest.encode(GetTxRequest.fromPartial({ hash: report.pay.hash })).finish(),
      }),
    );
    const rawTx = GetTxResponse.decode(rawAnswer.value);
    const grpcView = (r) => ({
      txhash: r.txResponse.txhash,
      height: String(r.txResponse.height),
      code: r.txResponse.code,
      gasWanted: String(r.txResponse.gasWanted),
      gasUsed: String(r.txResponse.gasUsed),
      data: r.txResponse.data,
      memo: r.tx?.body?.memo ?? null,
      messages: (r.tx?.body?.messages ?? []).map((m) => m.typeUrl),
      signatures: (r.tx?.signatures ?? []).length,
      timestamp: r.txResponse.timestamp,
    });
    report.grpcGetTx = {
      open: grpcView(viaExtension),
      pay: { code: rawAnswer.code, ...grpcView(rawTx) },
    };

    // --- Refusals. ------------------------------------------------------------------------------
    const refusals = (report.refusals = {});
    const offline = await SigningCosmWasmClient.offline(wallet);
    const strangerSigner = await SigningCosmWasmClient.offline(stranger);
    const devData = async () => {
      const { accountNumber, sequence } = await client.getSequence(dev);
      return { accountNumber, sequence, chainId };
    };
    const refusal = async (name, f) => {
      step = `refusal ${name}`;
      try {
        refusals[name] = await f();
      } catch (e) {
        refusals[name] = { error: String(e?.stack ?? e) };
      }
    };

    await refusal("garbage", () => broadcastRaw(comet, toUtf8("not a transaction, just bytes")));

    await refusal("badSignature", async () => {
      const raw = await offline.sign(dev, [send(dev, dev, 1)], FEE, "bad signature", await devData());
      const signature = Uint8Array.from(raw.signatures[0]);
      signature[7] ^= 0x01;
      return broadcastRaw(comet, encodeTx({ ...raw, signatures: [signature] }));
    });

    await refusal("wrongSequence", async () => {
      const data = await devData();
      const raw = await offline.sign(dev, [send(dev, dev, 1)], FEE, "", {
        ...data,
        sequence: data.sequence + 5,
      });
      return { expected: data.sequence, sent: data.sequence + 5, ...(await broadcastRaw(comet, encodeTx(raw))) };
    });

    await refusal("unknownPayer", async () => {
      const raw = await strangerSigner.sign(provider, [send(provider, provider, 1)], FEE, "", {
        accountNumber: 0,
        sequence: 0,
        chainId,
      });
      return broadcastRaw(comet, encodeTx(raw));
    });

    await refusal("feeAboveBalance", async () => {
      const funded = await client.sendTokens(dev, poor, [coin(1_000, DENOM)], "auto");
      const out = { fundHash: funded.transactionHash, fundHeight: funded.height, fundCode: funded.code };
      out.poorBalance = (await client.getBalance(poor, DENOM)).amount;
      let accountNumber = 0;
      try {
        const acc = await client.getAccount(poor);
        out.poorAccount = acc && { accountNumber: acc.accountNumber, sequence: acc.sequence };
        accountNumber = acc?.accountNumber ?? 0;
      } catch (e) {
        out.getAccountError = String(e?.message ?? e);
      }
      const fee = { amount: [coin(10_000, DENOM)], gas: String(GAS) };
      const raw = await strangerSigner.sign(poor, [send(poor, poor, 1)], fee, "", {
        accountNumber,
        sequence: 0,
        chainId,
      });
      return { ...out, ...(await broadcastRaw(comet, encodeTx(raw))) };
    });

    await refusal("feeBelowMinimum", async () => {
      const fee = { amount: [coin(GAS * 0.025 - 1, DENOM)], gas: String(GAS) };
      const raw = await offline.sign(dev, [send(dev, dev, 1)], fee, "", await devData());
      return { fee: fee.amount[0].amount, ...(await broadcastRaw(comet, encodeTx(raw))) };
    });

    await refusal("oversized", async () => {
      const memo = "x".repeat(MAX_TX_BYTES + 1);
      const raw = await offline.sign(dev, [send(dev, dev, 1)], FEE, memo, await devData());
      const bytes = encodeTx(raw);
      return { size: bytes.length, ...(await broadcastRaw(comet, bytes)) };
    });

    // The flood: FLOOD txs with consecutive sequences from dev in one burst. Signed first, sent
    // right after a block so that no block drains the mempool mid-burst (retried if one did).
    await refusal("flood", async () => {
      const attempts = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const data = await devData();
        const txs = [];
        for (let i = 0; i < FLOOD; i++) {
          const raw = await offline.sign(dev, [send(dev, dev, 1)], FEE, `flood ${i}`, {
            ...data,
            sequence: data.sequence + i,
          });
          txs.push(encodeTx(raw));
        }
        await waitForHeightAbove(comet, (await comet.status()).syncInfo.latestBlockHeight);
        const startHeight = (await comet.status()).syncInfo.latestBlockHeight;
        const results = [];
        for (const tx of txs) results.push(await broadcastRaw(comet, tx));
        // The first one again, while it waits in the mempool: CometBFT's cache refuses it.
        const duplicate = await broadcastRaw(comet, txs[0]);
        const endHeight = (await comet.status()).syncInfo.latestBlockHeight;
        const afterHeight = await waitForHeightAbove(comet, endHeight);
        const sequenceAfter = (await client.getSequence(dev)).sequence;
        const run = {
          startHeight,
          endHeight,
          afterHeight,
          sequenceBefore: data.sequence,
          sequenceAfter,
          admitted: results.filter((r) => r.code === 0).length,
          results,
          duplicate,
        };
        attempts.push(run);
        if (startHeight === endHeight) break;
      }
      return { attempts, ...attempts[attempts.length - 1] };
    });

    const final = await at("getSequence(dev)", () => client.getSequence(dev));
    report.devAfter = { accountNumber: final.accountNumber, sequence: final.sequence };
    report.devBalance = (await at("getBalance(dev)", () => client.getBalance(dev, DENOM))).amount;
    report.height = await at("getHeight", () => client.getHeight());
  } finally {
    client.disconnect();
    comet.disconnect();
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
