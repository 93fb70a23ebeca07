import { describe, expect, it } from 'vitest';
import { BugError, HeadroomError } from '../../../../core/errors';
import {
  createBridgeService,
  dispatchBridgeCall,
} from '../../../../electron/services/bridge-service';
import {
  BUG_REPORT_HINT,
  reportThrown,
  serializeUnexpected,
  unexpectedErrorLine,
  withBugHint,
} from '../../../../electron/services/unexpected-error';

/** Issue 16, D3: what every face makes of an error it did not expect. */

describe('the one line of an unexpected error', () => {
  it('names the error, flattens its message to one line and asks for a report', () => {
    const line = unexpectedErrorLine(new TypeError('x is undefined\n    while planning'));
    expect(line).toBe(`unexpected TypeError: x is undefined while planning — ${BUG_REPORT_HINT}`);
  });

  it('clips a huge message and copes with things that are not errors', () => {
    expect(unexpectedErrorLine(new Error('y'.repeat(100_000))).length).toBeLessThan(500);
    expect(unexpectedErrorLine('a thrown string')).toMatch(/^unexpected string: a thrown string/);
  });

  it('gives bad input exit 2 with its own message, anything else exit 3', () => {
    let out = '';
    const write = (text: string) => (out += text);
    expect(reportThrown('headroom', new HeadroomError('BAD_ARGUMENT', 'No.'), write, {})).toBe(2);
    expect(out).toBe('headroom: No.\n');
    out = '';
    expect(reportThrown('headroom', new RangeError('Invalid array length'), write, {})).toBe(3);
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('bugs over the bridge', () => {
  it('serialises a bug as one line with the hint, never a stack', () => {
    const thrown = new RangeError('Maximum call stack size exceeded');
    const serialized = serializeUnexpected(thrown);
    expect(serialized).toEqual({
      name: 'BugError',
      code: 'BUG',
      message: `unexpected RangeError: Maximum call stack size exceeded — ${BUG_REPORT_HINT}`,
    });
    expect(serializeUnexpected(new HeadroomError('BAD_FILE', 'x: no'))).toEqual({
      name: 'HeadroomError',
      code: 'BAD_FILE',
      message: 'x: no',
    });
  });

  it('adds the hint to a BugError envelope from the real dispatcher, once', async () => {
    const service = createBridgeService('browser');
    // A service method that breaks: what dispatch makes of a defect deep inside a call.
    const broken = Object.create(service) as typeof service;
    broken.listModels = () => Promise.reject(new BugError('impossible state'));
    const envelope = withBugHint(await dispatchBridgeCall(broken, 'listModels', []));
    expect(envelope).toEqual({
      ok: false,
      error: { name: 'BugError', code: 'BUG', message: `impossible state — ${BUG_REPORT_HINT}` },
    });
    expect(withBugHint(envelope)).toEqual(envelope);
    const fine = await dispatchBridgeCall(service, 'appInfo', []);
    expect(withBugHint(fine)).toBe(fine);
  });
});
