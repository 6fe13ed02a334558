// Remembered text rules: the same answers as the rule, each text worked out once, memory bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rememberedByText } from './remembered';

describe('rememberedByText', () => {
  it('answers as the rule does, null answers included, working each text out once', () => {
    const seen: string[] = [];
    const rule = rememberedByText((text) => {
      seen.push(text);
      return text === '-' ? null : text.toUpperCase();
    });
    assert.deepEqual(['tcs', '-', 'tcs', '-', 'infy'].map(rule), ['TCS', null, 'TCS', null, 'INFY']);
    assert.deepEqual(seen, ['tcs', '-', 'infy']);
  });

  it('forgets everything once it holds its limit, so a feed inventing text cannot grow it', () => {
    let calls = 0;
    const rule = rememberedByText((text) => (calls++, text.length), 3);
    for (const text of ['a', 'bb', 'ccc', 'a']) rule(text);
    assert.equal(calls, 3, 'a was still remembered');
    rule('dddd'); // the fourth text: the memory is cleared first
    rule('a');
    assert.equal(calls, 5, 'a was forgotten and worked out again');
  });
});
