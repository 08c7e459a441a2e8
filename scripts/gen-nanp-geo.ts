/**
 * Generates src/core/geo-data/nanp-regions.json: NANP number prefix -> US state / Canadian province code, from Google
 * libphonenumber's English geocoding file for country code 1 (`resources/geocoding/en/1.txt`, lines `1201|New Jersey`,
 * `1201200|Jersey City, NJ`). The data is maintained upstream; this script only converts it. Names are turned into
 * postal codes with the standard USPS / Canada Post list below; names that are not one region (e.g. "Nova Scotia/Prince
 * Edward Island", other NANP countries) are dropped, so lookups fall back to a longer or shorter prefix or stay unknown.
 *
 *   npx tsx scripts/gen-nanp-geo.ts path/to/1.txt "libphonenumber <version>"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** USPS and Canada Post codes by the names the geocoding file uses (including its spelling variants). */
const REGION_CODES: Record<string, string> = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO', Connecticut: 'CT',
  Delaware: 'DE', 'Washington D.C.': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI', Idaho: 'ID', Illinois: 'IL',
  Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY', Louisiana: 'LA', Maine: 'ME', Maryland: 'MD',
  Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS', Missouri: 'MO', Montana: 'MT', Nebraska: 'NE',
  Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY', 'Long Island': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA',
  'Rhode Island': 'RI', 'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT',
  Vermont: 'VT', Virginia: 'VA', 'Washington State': 'WA', 'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
  Alberta: 'AB', 'British Columbia': 'BC', 'British Colombia': 'BC', Manitoba: 'MB', 'New Brunswick': 'NB',
  'Newfoundland and Labrador': 'NL', 'Nova Scotia': 'NS', Ontario: 'ON', 'Prince Edward Island': 'PE', Quebec: 'QC',
  Saskatchewan: 'SK', 'Northwest Territories': 'NT', Nunavut: 'NU', Yukon: 'YT',
};
const CODES = new Set(Object.values(REGION_CODES).concat(['PR', 'VI', 'GU', 'AS', 'MP']));

/** "Jersey City, NJ" -> NJ; "New Jersey" -> NJ; anything else -> undefined. */
export function regionCode(name: string): string | undefined {
  const suffix = /, ([A-Z]{2})$/.exec(name)?.[1];
  if (suffix) return CODES.has(suffix) ? suffix : undefined;
  return REGION_CODES[name];
}

/** Prefix (national digits, without the leading 1) -> code, keeping only entries that differ from their parent's. */
export function buildTable(text: string): Record<string, string> {
  const raw = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^1(\d+)\|(.+)$/.exec(line.trim());
    if (!m) continue;
    const code = regionCode(m[2] as string);
    if (code) raw.set(m[1] as string, code);
  }
  const out: Record<string, string> = {};
  for (const prefix of [...raw.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b))) {
    let parent: string | undefined;
    for (let n = prefix.length - 1; n >= 3 && parent === undefined; n--) parent = raw.get(prefix.slice(0, n));
    if (raw.get(prefix) !== parent) out[prefix] = raw.get(prefix) as string;
  }
  return out;
}

function main(): void {
  const [file, source] = process.argv.slice(2);
  if (!file || !source) throw new Error('usage: gen-nanp-geo.ts <geocoding en/1.txt> "<source and version>"');
  const prefixes = buildTable(readFileSync(file, 'utf8'));
  const outFile = fileURLToPath(new URL('../src/core/geo-data/nanp-regions.json', import.meta.url));
  writeFileSync(outFile, JSON.stringify({ source, prefixes }, null, 0) + '\n');
  console.log(`wrote ${Object.keys(prefixes).length} prefixes to ${outFile}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
