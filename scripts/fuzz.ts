/**
 * Time-budgeted, seeded mutation fuzzing of the SIP parser and SDP handling (see test/resilience/support/fuzz.ts).
 *
 *   npx tsx scripts/fuzz.ts [--seconds 60] [--seed 1] [--out artifacts/fuzz]
 *
 * Prints runs, how many mutants still parsed, and findings by kind (a throw is a bug: the driver would drop that
 * packet without an answer; a round-trip failure means a message we accept re-serialises into one we reject). Each
 * finding's input is written to --out so it can be replayed. Exits 1 when anything threw.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz, seedMessages } from '../test/resilience/support/fuzz.js';
import { tortureFiles } from '../test/resilience/support/torture.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'artifacts/fuzz' } } });

const valid = tortureFiles().filter((f) => f.expectation === 'valid' && !f.name.startsWith('rfc5118/')).map((f) => f.bytes);
const report = fuzz(seedMessages(valid), Number(args.seconds) * 1000, Number(args.seed));
const byKind = (k: string) => report.findings.filter((f) => f.kind === k);
console.log(`seed ${args.seed}, ${args.seconds} s: ${report.runs} inputs, ${report.parsedOk} parsed, ${byKind('throw').length} threw, ${byKind('roundtrip').length} round-trip failures`);
const reasons = new Map<string, number>();
for (const f of report.findings) reasons.set(`${f.kind}: ${f.error.split('\n')[0]}`, (reasons.get(`${f.kind}: ${f.error.split('\n')[0]}`) ?? 0) + 1);
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${n} x ${reason}`);
if (report.findings.length) {
  mkdirSync(args.out, { recursive: true });
  report.findings.slice(0, 50).forEach((f, i) => writeFileSync(join(args.out, `${f.kind}-${i}.sip`), f.input));
  console.log(`inputs written to ${args.out}/`);
}
if (byKind('throw').length) process.exitCode = 1;
