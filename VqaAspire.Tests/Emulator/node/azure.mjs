// Drives the emulator's Azure OpenAI surfaces with the official Node SDK's AzureOpenAI client (api-key header,
// dated routes with api-version, chat through /openai/deployments/{deployment}), the plain OpenAI client on the v1
// route with an Entra-style bearer token, and Resource Manager over fetch: upload, wait for processed, a job with its
// trainingType, pause and resume, deploy the fine-tune, chat through the deployment, delete it.
// Usage: AZURE_OPENAI_ENDPOINT=http://127.0.0.1:PORT AZURE_OPENAI_API_KEY=any AZURE_TOKEN=... AZURE_ACCOUNT_PATH=subscriptions/.../accounts/NAME node azure.mjs
import OpenAI, { AzureOpenAI, toFile } from "openai";
import { dataUrl } from "./images.mjs";

const endpoint = process.env.AZURE_OPENAI_ENDPOINT.replace(/\/$/, "");
const token = process.env.AZURE_TOKEN;
const azure = new AzureOpenAI({ endpoint, apiKey: process.env.AZURE_OPENAI_API_KEY, apiVersion: "2025-04-01-preview", maxRetries: 0 });
const v1 = new OpenAI({ baseURL: `${endpoint}/openai/v1/`, apiKey: token, maxRetries: 0 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, read, done, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (let value = await read(); ; value = await read()) {
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(100);
  }
}

const models = await v1.models.list();
if (!models.data.some((m) => m.id === "gpt-4o-2024-08-06")) throw new Error("gpt-4o-2024-08-06 missing on /openai/v1/models");

const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({
  messages: [
    { role: "system", content: "Answer questions about book covers." },
    { role: "user", content: [{ type: "text", text: "Question: Who wrote this book?" }, { type: "image_url", image_url: { url: dataUrl(i) } }] },
    { role: "assistant", content: `Author ${i}` },
  ],
}));
const file = await azure.files.create({ file: await toFile(Buffer.from(lines.join("\n")), "train.jsonl"), purpose: "fine-tune" });
if (file.status !== "pending") throw new Error(`a new file should be pending, is ${file.status}`);
await until("file", () => azure.files.retrieve(file.id), (f) => f.status === "processed");
console.log(`file: ${file.id} processed`);

try {
  await azure.fineTuning.jobs.create({ model: "gpt-4o-2024-08-06", training_file: file.id });
  throw new Error("a job without trainingType was accepted");
} catch (e) {
  if (!(e instanceof OpenAI.BadRequestError)) throw e;
}

let job = await azure.fineTuning.jobs.create({ model: "gpt-4o-2024-08-06", training_file: file.id, suffix: "node", trainingType: "globalstandard" });
const paused = await until("pause", () => azure.fineTuning.jobs.pause(job.id).catch((e) => ({ status: `refused ${e.status}` })), (j) => j.status === "paused");
job = await azure.fineTuning.jobs.resume(paused.id);
if (job.status !== "running") throw new Error(`resumed job is ${job.status}`);
job = await until("job", () => azure.fineTuning.jobs.retrieve(job.id), (j) => ["succeeded", "failed", "cancelled"].includes(j.status));
if (job.status !== "succeeded" || !job.fine_tuned_model.startsWith("gpt-4o-2024-08-06.ft-")) throw new Error(`job ${job.status} ${job.fine_tuned_model}`);
console.log(`job: ${job.id} paused, resumed, ${job.status} ${job.fine_tuned_model}`);

const arm = `${endpoint}/${process.env.AZURE_ACCOUNT_PATH}/deployments/node-ft?api-version=2024-10-01`;
const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
const put = await fetch(arm, { method: "PUT", headers, body: JSON.stringify({ sku: { name: "Standard", capacity: 1 }, properties: { model: { format: "OpenAI", name: job.fine_tuned_model, version: "1" } } }) });
if (put.status !== 201) throw new Error(`PUT deployment: ${put.status} ${await put.text()}`);
const accepted = await put.json();
if (accepted.properties.provisioningState !== "Accepted") throw new Error(`a new deployment should be Accepted, is ${accepted.properties.provisioningState}`);
await until("deployment", async () => (await (await fetch(arm, { headers })).json()).properties.provisioningState, (s) => s === "Succeeded");

const question = { role: "user", content: [{ type: "text", text: "Question: Who wrote this book?" }, { type: "image_url", image_url: { url: dataUrl(3) } }] };
const completion = await azure.chat.completions.create({ model: "node-ft", messages: [{ role: "system", content: "Answer questions about book covers." }, question] });
const answer = completion.choices[0].message.content;
if (answer !== "Author 3") throw new Error(`expected the trained answer 'Author 3' through the deployment, got '${answer}'`);
console.log(`chat through node-ft: ${answer}`);

const base = await v1.chat.completions.create({ model: "gpt-4o", messages: [question] });
if (!base.choices[0].message.content) throw new Error("the base deployment gave no answer on the v1 route");

// Resource Manager answers a deletion 202 and the deployment is Deleting until it is gone (the REST specs' Deployments_Delete).
const deleted = await fetch(arm, { method: "DELETE", headers });
if (deleted.status !== 202) throw new Error(`DELETE deployment: ${deleted.status}`);
await until("deletion", async () => (await fetch(arm, { headers })).status, (s) => s === 404);
try {
  await azure.chat.completions.create({ model: "node-ft", messages: [question] });
  throw new Error("a deleted deployment still answered");
} catch (e) {
  if (!(e instanceof OpenAI.NotFoundError) || e.code !== "DeploymentNotFound") throw e;
}
console.log("azure node sdk: ok");
