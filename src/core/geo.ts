/**
 * Caller geography for buyer targeting: country, area code and state/province from the caller's North American
 * number, ZIP from the IVR. State comes from Google libphonenumber's geocoding data (see scripts/gen-nanp-geo.ts),
 * looked up by longest number prefix; US territories from libphonenumber-js's country. Unknown stays unknown: a buyer
 * that targets states never takes a caller whose state is unknown.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Geography } from '../config/schema/index.js';
import type { Tags } from './ivr.js';
import nanp from './geo-data/nanp-regions.json' with { type: 'json' };

export interface CallerGeo {
  /** ISO country (US, CA, PR, ...) when the number is a valid NANP number. */
  country?: string;
  /** NPA, e.g. `415`. */
  areaCode?: string;
  /** USPS / Canada Post code, e.g. `CA`, `ON`, `PR`. */
  state?: string;
  /** 5-digit ZIP from the IVR `zip` tag. */
  zip?: string;
}

export type GeoSkipReason = 'geo_state' | 'geo_area_code' | 'geo_zip';

const PREFIXES: Readonly<Record<string, string>> = nanp.prefixes;
const TERRITORIES = new Set(['PR', 'VI', 'GU', 'AS', 'MP']);

/** Longest-prefix match of a 10-digit national number against the geocoding table. */
function stateOf(national: string): string | undefined {
  for (let n = Math.min(7, national.length); n >= 3; n--) {
    const code = PREFIXES[national.slice(0, n)];
    if (code) return code;
  }
  return undefined;
}

export function callerGeo(caller: string, tags: Tags = {}): CallerGeo {
  const geo: CallerGeo = {};
  const zip = tags.zip?.trim();
  if (zip && /^[0-9]{5}$/.test(zip)) geo.zip = zip;
  const parsed = caller.startsWith('+1') ? parsePhoneNumberFromString(caller) : undefined;
  if (!parsed || parsed.countryCallingCode !== '1' || !parsed.isPossible()) return geo;
  const national = String(parsed.nationalNumber);
  if (!/^[2-9][0-9]{9}$/.test(national)) return geo;
  geo.areaCode = national.slice(0, 3);
  if (parsed.country) geo.country = parsed.country;
  const state = parsed.country && TERRITORIES.has(parsed.country) ? parsed.country : stateOf(national);
  if (state) geo.state = state;
  return geo;
}

/** First geography rule the caller fails, or undefined when the caller fits (empty lists mean anywhere). */
export function geoSkip(rule: Geography | undefined, geo: CallerGeo): GeoSkipReason | undefined {
  if (!rule) return undefined;
  if (rule.states.length > 0 && !(geo.state && rule.states.includes(geo.state))) return 'geo_state';
  if (rule.area_codes.length > 0 && !(geo.areaCode && rule.area_codes.includes(geo.areaCode))) return 'geo_area_code';
  if (rule.zip_prefixes.length > 0 && !(geo.zip && rule.zip_prefixes.some((p) => geo.zip?.startsWith(p)))) return 'geo_zip';
  return undefined;
}
