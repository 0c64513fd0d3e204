// Drives the OpenAI emulator end to end with the official Node SDK, an independent client:
// models, a training file upload, a fine-tuning job polled to success, a chat completion with a base64 image.
// Usage: OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=any node script.mjs
import OpenAI, { toFile } from "openai";
import { dataUrl } from "./images.mjs";

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY ?? "sk-node-check", maxRetries: 0 });


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
