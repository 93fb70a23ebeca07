/**
 * The bridge contract is written once: core/bridge.ts holds the types, and each zod schema of
 * electron/services is pinned to its type exactly (issue 15 part 3). The `expectTypeOf` lines are
 * checked by the compiler (`npm run typecheck:node` covers tests/unit/electron); the runtime
 * lines check that what type-checks is also accepted, and what does not is refused.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  BRIDGE_METHODS,
  DEFAULT_SETTINGS,
  type AnyPlanRequest,
  type BridgeMethod,
  type ExportReportRequest,
  type HeadroomBridge,
  type PlanRequest,
  type ScanRequest,
  type Settings,
  type SettingsPatch,
  type TrainingBridgeRequest,
} from '../../../core/bridge';
import type { CustomDeviceRequest } from '../../../core/devices/custom-device';
import type { TrainingScenario } from '../../../core/plan/types';
import { trainingScenario } from '../../../core/training';
import {
  anyPlanRequestSchema,
  ARGUMENT_SCHEMAS,
  exportReportSchema,
  planRequestSchema,
  scanRequestSchema,
  trainingRequestSchema,
  trainingScenarioSchema,
} from '../../../electron/services/bridge-schemas';
import { customDeviceSchema } from '../../../electron/services/custom-device-schema';
import { settingsPatchSchema, settingsSchema } from '../../../electron/services/settings';

describe('each bridge schema is its core type', () => {
  it('pins the request schemas to their types', () => {
    expectTypeOf<z.infer<typeof planRequestSchema>>().toEqualTypeOf<PlanRequest>();
    expectTypeOf<z.infer<typeof trainingRequestSchema>>().toEqualTypeOf<TrainingBridgeRequest>();
    expectTypeOf<z.infer<typeof trainingScenarioSchema>>().toEqualTypeOf<TrainingScenario>();
    expectTypeOf<z.infer<typeof anyPlanRequestSchema>>().toEqualTypeOf<AnyPlanRequest>();
    expectTypeOf<z.infer<typeof exportReportSchema>>().toEqualTypeOf<ExportReportRequest>();
    expectTypeOf<z.infer<typeof scanRequestSchema>>().toEqualTypeOf<ScanRequest>();
    expectTypeOf<z.infer<typeof customDeviceSchema>>().toEqualTypeOf<CustomDeviceRequest>();
    expectTypeOf<z.infer<typeof settingsSchema>>().toEqualTypeOf<Settings>();
    expectTypeOf<z.infer<typeof settingsPatchSchema>>().toEqualTypeOf<SettingsPatch>();
  });

  it("pins every method's argument schema to the method's parameters", () => {
    expectTypeOf<{
      readonly [M in BridgeMethod]: z.infer<(typeof ARGUMENT_SCHEMAS)[M]>;
    }>().toEqualTypeOf<{ readonly [M in BridgeMethod]: Parameters<HeadroomBridge[M]> }>();
    expectTypeOf<(typeof BRIDGE_METHODS)[number]>().toEqualTypeOf<BridgeMethod>();
    // At run time too: one schema per listed method, each method listed once.
    expect(new Set(BRIDGE_METHODS).size).toBe(BRIDGE_METHODS.length);
    expect(Object.keys(ARGUMENT_SCHEMAS).sort()).toEqual([...BRIDGE_METHODS].sort());
  });
});

describe('what type-checks is what the schemas accept', () => {
  const targets = {
    modelId: 'meta-llama/Llama-3.1-8B',
    deviceIds: ['nvidia-a100-sxm-80gb'],
    unit: 'GiB',
  } as const;

  it('accepts a training request written to its type', () => {
    const request: TrainingBridgeRequest = {
      ...targets,
      mode: 'training',
      scenario: trainingScenario({ finetune: 'lora' }),
    };
    expect(trainingRequestSchema.safeParse(request).success).toBe(true);
  });

  it('refuses a training request without a unit, or with a model spec, as its type does', () => {
    const { unit: _unit, ...withoutUnit } = targets;
    const scenario = trainingScenario({});
    // @ts-expect-error the type requires `unit`, as the schema does
    const noUnit: TrainingBridgeRequest = { ...withoutUnit, mode: 'training', scenario };
    expect(trainingRequestSchema.safeParse(noUnit).success).toBe(false);
    // A model spec does not cross the bridge: a file is opened first, then named by its id.
    const withModel = { ...targets, mode: 'training', scenario, model: {} };
    // @ts-expect-error the type has no `model`, and the schema refuses it
    const typed: TrainingBridgeRequest = withModel;
    expect(trainingRequestSchema.safeParse(typed).success).toBe(false);
  });

  it('accepts the default settings and refuses an unknown theme', () => {
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(settingsPatchSchema.safeParse({ theme: 'sepia' }).success).toBe(false);
  });
});
