import { describe, expect, it } from 'vitest';
import { callerGeo, geoSkip, type CallerGeo } from '../../../src/core/geo.js';
import { geography } from '../../../src/config/schema/index.js';

describe('caller geography from the number', () => {
  it.each([
    ['+14155550100', { country: 'US', areaCode: '415', state: 'CA' }],
    ['+12125550100', { country: 'US', areaCode: '212', state: 'NY' }],
    // 203 and 713 have no 3-digit entry upstream; longer prefixes resolve them.
    ['+12035551234', { country: 'US', areaCode: '203', state: 'CT' }],
    ['+17135550199', { country: 'US', areaCode: '713', state: 'TX' }],
    ['+14165550100', { country: 'CA', areaCode: '416', state: 'ON' }],
    ['+17875550100', { country: 'PR', areaCode: '787', state: 'PR' }],
    // Toll-free: no place, so the state stays unknown.
    ['+18005550100', { country: 'US', areaCode: '800' }],
    // Not North American, withheld or garbage: nothing known.
    ['+442071234567', {}],
    ['anonymous', {}],
    ['+1415', {}],
  ] as const)('%s', (caller, want) => {
    expect(callerGeo(caller)).toEqual(want);
  });

  it('takes a 5-digit ZIP from the IVR tags and ignores anything else', () => {
    expect(callerGeo('anonymous', { zip: '94110' })).toEqual({ zip: '94110' });
    expect(callerGeo('anonymous', { zip: '9411' })).toEqual({});
    expect(callerGeo('anonymous', { zip: 'abcde' })).toEqual({});
  });
});

describe('geography rules', () => {
  const rule = (r: object) => geography.parse(r);
  const sf: CallerGeo = { country: 'US', areaCode: '415', state: 'CA', zip: '94110' };
  const unknown: CallerGeo = {};
  it.each([
    ['no rule', undefined, sf, undefined],
    ['empty rule', rule({}), sf, undefined],
    ['state in list', rule({ states: ['CA', 'NV'] }), sf, undefined],
    ['state not in list', rule({ states: ['TX'] }), sf, 'geo_state'],
    ['unknown state fails a state rule', rule({ states: ['CA'] }), unknown, 'geo_state'],
    ['area code in list', rule({ area_codes: ['415'] }), sf, undefined],
    ['area code not in list', rule({ area_codes: ['212'] }), sf, 'geo_area_code'],
    ['zip prefix matches', rule({ zip_prefixes: ['941'] }), sf, undefined],
    ['zip prefix does not match', rule({ zip_prefixes: ['100'] }), sf, 'geo_zip'],
    ['no zip fails a zip rule', rule({ zip_prefixes: ['941'] }), { ...sf, zip: undefined }, 'geo_zip'],
    ['state checked first', rule({ states: ['TX'], zip_prefixes: ['100'] }), sf, 'geo_state'],
  ] as const)('%s', (_n, r, geo, want) => {
    expect(geoSkip(r, geo)).toBe(want);
  });
});

describe('geocoding data conversion (scripts/gen-nanp-geo.ts)', () => {
  it('maps names and "City, ST" to codes, drops other countries and shared names, keeps only changes from the parent', async () => {
    const { buildTable } = await import('../../../scripts/gen-nanp-geo.js');
    const text = ['1201|New Jersey', '1201200|Jersey City, NJ', '1203|Connecticut', '1242|Bahamas', '1242225|New Providence',
      '1902|Nova Scotia/Prince Edward Island', '1902368|Charlottetown, PE', '1903|Texas', '1903223|Texarkana, AR', '1250|British Colombia'].join('\n');
    expect(buildTable(text)).toEqual({ '201': 'NJ', '203': 'CT', '902368': 'PE', '903': 'TX', '903223': 'AR', '250': 'BC' });
  });
});
