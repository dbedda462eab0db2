// Posts every sample event to a running demo relay, then reads the demo-consumer queue of the
// local SNS server (without consuming it) and prints, per sample, whether it arrived unchanged.
// Run by `./relay send-samples` with the Node 22 binary of tools/local-sns.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    relay: { type: "string", default: "http://127.0.0.1:8080" },
    sns: { type: "string", default: "http://127.0.0.1:4566" },
    folder: { type: "string", default: "samples/events" },
    app: { type: "string", default: "demo" },
    queue: { type: "string", default: "demo-consumer" },
    wait: { type: "string", default: "30" },
    // Each sample's X-Webhook-Id is its file name after this prefix. The relay drops a resent
    // id, so a second run against the same data/ needs a new prefix to queue the samples again.
    "id-prefix": { type: "string", default: "" },
  },
});

for (const url of [opts.relay, opts.sns]) {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") {
    console.error(`send-samples: only talks to this machine; got ${url}`);
    process.exit(2);
  }
}

async function queuedBodies() {
  const res = await fetch(`${opts.sns}/_fauxqs/queues/${opts.queue}`);
  if (!res.ok) throw new Error(`cannot read queue ${opts.queue}: HTTP ${res.status}`);
  const q = await res.json();
  return [...q.messages.ready, ...q.messages.delayed, ...q.messages.inflight].map((m) => m.body);
}

// Bodies counted, not just seen: an earlier run may have left the same sample in the queue.
function counted(bodies) {
  const counts = new Map();
  for (const b of bodies) counts.set(b, (counts.get(b) ?? 0) + 1);
  return counts;
}

/** The bodies in the queue now that were not there before, as many times as they are new. */
async function newBodies() {
  const left = new Map(before);
  const fresh = [];
  for (const b of await queuedBodies()) {
    const n = left.get(b) ?? 0;
    if (n > 0) left.set(b, n - 1);
    else fresh.push(b);
  }
  return fresh;
}

const files = (await readdir(opts.folder)).filter((f) => f.endsWith(".json")).sort();
const before = counted(await queuedBodies());
const sent = [];
for (const file of files) {
  const body = await readFile(join(opts.folder, file));
  const id = opts["id-prefix"] + file.replace(/\.json$/, "");
  let status;
  let answer;
  try {
    const res = await fetch(`${opts.relay}/v1/apps/${opts.app}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-id": id },
      body,
    });
    status = res.status;
    answer = await res.text();
  } catch (err) {
    console.error(`send-samples: the relay at ${opts.relay} does not answer (${err.message}).`);
    console.error("Start it first with ./relay run");
    process.exit(1);
  }
  sent.push({ file, text: body.toString("utf8"), bytes: body.length, status, answer });
}

// Delivery is asynchronous: wait until everything that can arrive has arrived.
const deadline = Date.now() + Number(opts.wait) * 1000;
let arrived = [];
for (;;) {
  arrived = await newBodies();
  const pending = sent.filter((s) => s.status === 202 && s.bytes <= 262144)
    .filter((s) => !arrived.includes(s.text));
  if (pending.length === 0 || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 250));
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad("sample", 44)} ${pad("bytes", 8)} ${pad("HTTP", 5)} arrived in ${opts.queue}`);
let unchanged = 0;
for (const s of sent) {
  const same = arrived.includes(s.text);
  if (same) unchanged++;
  const note = same ? "yes, byte for byte"
    : s.bytes > 262144 ? "no: over 262,144 bytes, dropped and counted by the relay"
      : s.status !== 202 ? `no: ${s.answer}` : "not (yet)";
  console.log(`${pad(s.file, 44)} ${pad(s.bytes, 8)} ${pad(s.status, 5)} ${note}`);
}
console.log(`\n${sent.length} sent, ${unchanged} arrived unchanged, ${arrived.length} new ` +
  `message(s) in ${opts.queue}.`);
const accepted = sent.filter((s) => s.status === 202 && s.bytes <= 262144).length;
if (accepted > 0 && unchanged === 0) {
  console.log("None arrived: if these X-Webhook-Ids were sent before (an earlier send-samples " +
    "with the same data/), the relay answered 202 and dropped the resends as duplicates. " +
    "Send them again under new ids with: ./relay send-samples --id-prefix run2-");
}
const metrics = await (await fetch(`${opts.relay}/observe/metrics`)).text();
console.log("\nRelay counters:");
for (const line of metrics.split("\n")) {
  if (line.startsWith("relay_events_")) console.log(`  ${line}`);
}
