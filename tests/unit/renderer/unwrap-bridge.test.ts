import { describe, expect, it } from 'vitest';
import { BRIDGE_METHODS } from '../../../core/bridge';
import { unwrapBridge } from '../../../renderer/bridge/unwrap';
import { testBridge } from './test-bridge';

describe("the renderer's bridge", () => {
  it('has the bridge methods and nothing else: an unknown name is never sent on', () => {
    const sent: string[] = [];
    const bridge = unwrapBridge(async (method) => {
      sent.push(method);
      return { ok: true, value: null };
    });
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHODS].sort());
    expect(Reflect.get(bridge, 'deleteEverything')).toBeUndefined();
    expect(Reflect.get(bridge, 'then')).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('rethrows a refused argument as the HeadroomError the dispatch answered', async () => {
    // Through the real dispatch: a context of 0 tokens is refused by the argument schema.
    await expect(
      testBridge().plan({
        modelId: 'meta-llama/Llama-3.1-8B',
        deviceIds: ['nvidia-rtx-4090'],
        contextTokens: 0,
        batch: 1,
        engine: 'llama.cpp',
        marginFraction: 0.1,
        unit: 'GB',
      }),
    ).rejects.toMatchObject({ name: 'HeadroomError', code: 'BAD_ARGUMENT' });
  });
});
