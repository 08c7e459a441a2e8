/**
 * The engine as a separate process, for the crash test: `tsx engine-child.ts <dir> <receiverUrl> <calls>`.
 * Starts a real engine on `<dir>/calls.sqlite` (memory driver), places `<calls>` billable calls and one more call
 * left talking (so the crash interrupts it), then prints
 * `calls-done` and keeps running until killed. With `<calls>` = 0 it only starts (and so resumes delivery), and
 * prints `queue-empty` once every queued delivery has been recorded as delivered or dead.
 */
import { billableCall, DID, SECRET, startWebhookEngine, webhookConfig } from './harness.js';

const [dir, url, n] = process.argv.slice(2);
const hooks = webhookConfig({
  campaign: `- { id: tracker, url: "${url}", secret: ${SECRET}, events: [call.started, call.ended], timeout_ms: 60000 }`,
});
// Slow retries (the queue must still hold work when we are killed) and one request per host at a time.
const t = await startWebhookEngine(hooks, { perHostConcurrency: 1, backoffBaseMs: 60_000, pollIntervalMs: 100 }, dir);
for (let i = 0; i < Number(n); i++) await billableCall(t, 90_000, `+1415555${String(1000 + i)}`);
if (Number(n) > 0) await t.driver.placeCall({ did: DID, caller: '+14155559999', dtmf: ['1', '94110'] }).bridged;
process.stdout.write('calls-done\n');
const { repo, metrics } = t.engine.webhooks;
const reportEmpty = () => {
  if (repo.counts().pending === 0) process.stdout.write('queue-empty\n');
};
if (Number(n) === 0) {
  metrics.onRecord(reportEmpty);
  reportEmpty();
}
setInterval(() => undefined, 60_000);
