import { describe, expect, it } from 'vitest';
import { startFromTypeahead } from '../../../src/telephony/freeswitch/typeahead.js';

describe('startFromTypeahead', () => {
  const opts = { maxDigits: 3, terminators: '#' };
  it('nothing typed: the collection runs as asked', () => {
    expect(startFromTypeahead('', opts)).toEqual({ done: false, digits: '' });
  });
  it('fewer digits than max: they start the answer', () => {
    expect(startFromTypeahead('12', opts)).toEqual({ done: false, digits: '12' });
  });
  it('max digits typed ahead: finished, extra digits are not part of this answer', () => {
    expect(startFromTypeahead('12345', opts)).toEqual({ done: true, result: { digits: '123', reason: 'max_digits' } });
  });
  it('a terminator ends the answer without itself', () => {
    expect(startFromTypeahead('4#9', opts)).toEqual({ done: true, result: { digits: '4', reason: 'terminator' } });
  });
  it('no terminators configured: # is a digit', () => {
    expect(startFromTypeahead('#1', { maxDigits: 2, terminators: '' })).toEqual({ done: true, result: { digits: '#1', reason: 'max_digits' } });
  });
});
