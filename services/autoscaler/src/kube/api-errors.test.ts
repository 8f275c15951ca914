import { describe, expect, it } from '@jest/globals';
import { describeKubeError } from './api-errors.ts';

describe('describeKubeError', () => {
  it.each<[string, unknown, string]>([
    [
      'an ApiException with a Status body',
      { code: 403, body: '{"kind":"Status","message":"leases \\"x\\" is forbidden","code":403}' },
      '403: leases "x" is forbidden',
    ],
    ['an ApiException with another body', { code: 502, body: 'Bad Gateway' }, 'HTTP 502'],
    ['a plain error', new Error('connect ECONNREFUSED 127.0.0.1:6443'), 'connect ECONNREFUSED 127.0.0.1:6443'],
    ['anything else', 'boom', 'boom'],
  ])('%s', (_label, error, text) => {
    expect(describeKubeError(error)).toBe(text);
  });
});
