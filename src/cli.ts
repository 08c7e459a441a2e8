/**
 * The `callroute` command: `check-config FILE`, `schema`, `run [flags]`.
 * Thin: parsing argv and printing; the work is in src/config and src/main.ts.
 */
import { configJsonSchemaText } from './config/json-schema.js';
import { formatIssue, loadConfigFile } from './config/load.js';
import type { LoadedConfig } from './config/model.js';

const USAGE = `usage:
  callroute check-config FILE   validate a campaign config; print every issue as FILE:LINE:COL path: message
  callroute schema              print the JSON Schema of the campaign config
  callroute run [flags]         start the engine (flags and CALLROUTE_* variables: see README)
`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(c: LoadedConfig): string {
  const parts = [
    plural(c.campaigns.size, 'campaign'),
    plural(c.dids.size, 'DID'),
    plural(c.publishers.size, 'publisher'),
    plural(c.buyers.size, 'buyer'),
    plural(c.targets.size, 'target'),
    plural(c.ivrFlows.size, 'IVR flow'),
    plural(c.prompts.size, 'prompt'),
    plural(c.carriers.length, 'carrier'),
  ];
  return `OK: ${parts.join(', ')} (sha256 ${c.digest.slice(0, 12)})`;
}

/** Returns the exit code: 0 valid, 1 invalid. */
function checkConfig(file: string, out: (line: string) => void): number {
  const result = loadConfigFile(file);
  if (result.ok) {
    out(`${file}: ${summary(result.config)}`);
    return 0;
  }
  for (const issue of result.issues) out(formatIssue(file, issue));
  out(`${file}: ${plural(result.issues.length, 'issue')}`);
  return 1;
}

async function cli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (command) {
    case 'check-config':
      if (rest.length !== 1 || !rest[0]) break;
      return checkConfig(rest[0], print);
    case 'schema':
      process.stdout.write(configJsonSchemaText());
      return 0;
    case 'run':
      // main.ts reads process.argv itself (and ignores the `run` word).
      await import('./main.js');
      return -1;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
  }
  process.stderr.write(USAGE);
  return 2;
}

const code = await cli(process.argv.slice(2));
// `run` keeps the process alive with its servers; everything else exits with its code.
if (code >= 0) process.exitCode = code;
