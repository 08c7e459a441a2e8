/**
 * Builds the dashboard when web/dist is missing, so a fresh clone's `npm start` and `npm test` serve it without a
 * separate step. An existing build is left alone: `npm run build:web` rebuilds on purpose.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function ensureDashboardBuilt(): Promise<boolean> {
  if (existsSync(`${here}dist/index.html`)) return false;
  await build({ configFile: `${here}vite.config.ts` });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureDashboardBuilt();
  if (built) process.stdout.write('dashboard built into web/dist\n');
}
