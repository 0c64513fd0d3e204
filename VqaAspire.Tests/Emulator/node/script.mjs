// Drives the OpenAI emulator end to end with the official Node SDK, an independent client:
// models, a training file upload, a fine-tuning job polled to success, a chat completion with a base64 image.
// Usage: OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=any node script.mjs
import OpenAI, { toFile } from "openai";
import { deflateSync } from "node:zlib";

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY ?? "sk-node-check", maxRetries: 0 });

// A small RGB PNG, built by hand so the script needs nothing but the SDK.
function png(width, height, seed) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let i = 0; i < rows.length; i++) rows[i] = i % (width * 3 + 1) === 0 ? 0 : (i * 7 + seed) & 0xff;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

const dataUrl = (seed) => `data:image/png;base64,${png(32, 32, seed).toString("base64")}`;

const models = await client.models.list();
const ids = models.data.map((m) => m.id);
if (!ids.includes("gpt-4o-2024-08-06")) throw new Error(`gpt-4o-2024-08-06 missing from ${ids}`);
console.log(`models: ${ids.length}`);

const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({
  messages: [
    { role: "system", content: "Answer questions about book covers." },
    { role: "user", content: [{ type: "text", text: "Question: Who wrote this book?" }, { type: "image_url", image_url: { url: dataUrl(i) } }] },
    { role: "assistant", content: `Author ${i}` },
  ],
}));
const file = await client.files.create({ file: await toFile(Buffer.from(lines.join("\n")), "train.jsonl"), purpose: "fine-tune" });
console.log(`file: ${file.id} ${file.bytes} bytes`);

let job = await client.fineTuning.jobs.create({
  model: "gpt-4o-2024-08-06",
  training_file: file.id,
  suffix: "node",
  method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } },
});
const deadline = Date.now() + 60_000;
while (!["succeeded", "failed", "cancelled"].includes(job.status)) {
  if (Date.now() > deadline) throw new Error(`job ${job.id} still ${job.status}`);
  await new Promise((r) => setTimeout(r, 200));
  job = await client.fineTuning.jobs.retrieve(job.id);
}
if (job.status !== "succeeded") throw new Error(`job ${job.id} ${job.status}: ${JSON.stringify(job.error)}`);
console.log(`job: ${job.id} ${job.status} ${job.fine_tuned_model}`);

const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 5 });
if (events.data.length === 0) throw new Error("no events");

const completion = await client.chat.completions.create({
  model: job.fine_tuned_model,
  messages: [{ role: "user", content: [{ type: "text", text: "Question: Who wrote this book?" }, { type: "image_url", image_url: { url: dataUrl(3) } }] }],
});
const answer = completion.choices[0].message.content;
if (answer !== "Author 3") throw new Error(`expected the trained answer 'Author 3', got '${answer}'`);
if (completion.system_fingerprint !== "fp_vqaaspire_emulator") throw new Error("response not labelled as emulated");
console.log(`chat: ${answer} (prompt_tokens ${completion.usage.prompt_tokens})`);
console.log("node sdk: ok");
