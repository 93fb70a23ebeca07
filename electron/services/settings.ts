/**
 * The workbench's settings: a small JSON file, validated on read (a corrupt file falls back to
 * the defaults and is kept aside, never lost) and written atomically (temp file, then rename).
 * The desktop keeps it in Electron's userData folder; browser mode in the user's config folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  THEME_PREFERENCES,
  type SavedDeviceGroup,
  type SavedModel,
  type Settings,
  type SettingsPatch,
} from '../../core/bridge';
import { findDevice } from '../../core/devices/catalog';
import { boundProblem } from '../../core/number-input';
import { GPU_PRICE_BOUND } from '../../core/serving/bounds';
import { BYTE_UNITS } from '../../core/units/bytes';
import { customDeviceSchema } from './custom-device-schema';

/** The file's name inside the settings folder. */
export const SETTINGS_FILE_NAME = 'settings.json';

/** Overrides where browser mode keeps its settings (tests point it at a temp folder). */
const CONFIG_DIR_ENV = 'HEADROOM_CONFIG_DIR';

/** Models the "recent" list keeps: a short menu, not a history. */
export const MAX_RECENT_MODELS = 8;

/** Settings files are a few hundred bytes; anything far bigger is not ours and is set aside unread. */
const MAX_SETTINGS_FILE_BYTES = 256 * 1024;

/** Price table entries: a few device types, not a price list. */
const MAX_PRICED_DEVICES = 64;

const pathText = z
  .string()
  .min(1)
  .max(4096)
  .refine((text) => !text.includes('\0'), 'a path has no NUL character');

const savedModelSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('catalog'), id: z.string().min(1).max(300) })
    .strict()
    .readonly(),
  z
    .object({ kind: z.literal('params'), params: z.number().positive().max(1e15) })
    .strict()
    .readonly(),
  z
    .object({ kind: z.literal('file'), path: pathText })
    .strict()
    .readonly(),
]) satisfies z.ZodType<SavedModel>;

const count = z.number().int().min(1).max(1024);

const savedDeviceSchema = z.discriminatedUnion('source', [
  z
    .object({ source: z.literal('catalog'), id: z.string().min(1).max(100), count })
    .strict()
    .readonly(),
  z
    .object({ source: z.literal('detected'), name: z.string().min(1).max(200), count })
    .strict()
    .readonly(),
  z
    .object({ source: z.literal('custom'), spec: customDeviceSchema, count })
    .strict()
    .readonly(),
]) satisfies z.ZodType<SavedDeviceGroup>;

/** Every setting, as the file and the bridge hold it (pinned to Settings by a type test). */
export const settingsSchema = z
  .object({
    unit: z.enum(BYTE_UNITS),
    theme: z.enum(THEME_PREFERENCES),
    showTraining: z.boolean(),
    lastModel: savedModelSchema.nullable(),
    recentModels: z.array(savedModelSchema).max(MAX_RECENT_MODELS).readonly(),
    lastDevices: z.array(savedDeviceSchema).max(64).readonly().nullable(),
    applyCorrections: z.boolean(),
    servingPricesUsdPerHour: z
      .record(
        z.string().refine((id) => findDevice(id) !== undefined, 'not a catalog device id'),
        z.number().superRefine((value, context) => {
          const problem = boundProblem(value, GPU_PRICE_BOUND);
          if (problem !== null) context.addIssue({ code: 'custom', message: problem });
        }),
      )
      .refine(
        (prices) => Object.keys(prices).length <= MAX_PRICED_DEVICES,
        `at most ${MAX_PRICED_DEVICES} priced devices`,
      )
      .readonly(),
  })
  .strict()
  .readonly() satisfies z.ZodType<Settings>;

/**
 * A patch over the bridge: any subset of the fields, nothing else. A file written by an older
 * version lacks newer fields, so a file is read as a patch over the defaults.
 */
export const settingsPatchSchema = settingsSchema
  .unwrap()
  .partial()
  .readonly() satisfies z.ZodType<SettingsPatch>;

/** Whether two saved models are the same model (the recent list holds each once). */
function sameSavedModel(a: SavedModel, b: SavedModel): boolean {
  switch (a.kind) {
    case 'catalog':
      return b.kind === 'catalog' && a.id === b.id;
    case 'params':
      return b.kind === 'params' && a.params === b.params;
    case 'file':
      return b.kind === 'file' && a.path === b.path;
  }
}

/**
 * A model moved to the front of a recent list, without repeats, at most MAX_RECENT_MODELS long.
 *
 * @example withRecentModel([{ kind: 'catalog', id: 'a' }], { kind: 'catalog', id: 'b' }).length // 2
 */
export function withRecentModel(
  recent: readonly SavedModel[],
  model: SavedModel,
): readonly SavedModel[] {
  return [model, ...recent.filter((entry) => !sameSavedModel(entry, model))].slice(
    0,
    MAX_RECENT_MODELS,
  );
}

/**
 * The settings after a patch: the patch's fields replace the current ones, and a new
 * `lastModel` moves to the front of `recentModels` (unless the patch sets that list itself).
 *
 * @example mergeSettings(DEFAULT_SETTINGS, { unit: 'GiB' }).unit // 'GiB'
 */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const merged: Settings = { ...current, ...stripUndefined(patch) };
  if (patch.lastModel && patch.recentModels === undefined) {
    return { ...merged, recentModels: withRecentModel(current.recentModels, patch.lastModel) };
  }
  return merged;
}

function stripUndefined(patch: SettingsPatch): SettingsPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as SettingsPatch;
}

/** What reading a settings file gave: the settings, or the defaults and why the file was refused. */
type SettingsRead =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly settings: Settings; readonly problem: string };

/**
 * Parses a settings file's text: valid JSON whose fields pass the schema, over the defaults.
 * Anything else gives the defaults and the problem in words.
 */
export function parseSettings(text: string): SettingsRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, settings: DEFAULT_SETTINGS, problem: 'it is not JSON' };
  }
  const parsed = settingsPatchSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      settings: DEFAULT_SETTINGS,
      problem: z.prettifyError(parsed.error).replaceAll('\n', ' '),
    };
  }
  return { ok: true, settings: { ...DEFAULT_SETTINGS, ...stripUndefined(parsed.data) } };
}

/**
 * Where browser mode keeps its settings: HEADROOM_CONFIG_DIR, else $XDG_CONFIG_HOME/headroom
 * (XDG Base Directory Specification), else ~/.config/headroom.
 */
export function browserSettingsDir(env: NodeJS.ProcessEnv, home: string): string {
  const override = env[CONFIG_DIR_ENV];
  if (override) return override;
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec: "If $XDG_CONFIG_HOME is either not set or empty, a default equal to
  // $HOME/.config should be used"; a relative value is invalid and ignored.
  const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.config');
  return join(base, 'headroom');
}

/** Reads and saves the settings; saves run one after another, so no patch is lost. */
export interface SettingsStore {
  read(): Promise<Settings>;
  save(patch: SettingsPatch): Promise<Settings>;
}

interface SettingsFileOptions {
  /** Told when a file could not be used and was set aside (the path it now has). */
  readonly onSetAside?: (problem: string, keptAt: string) => void;
  /** Told after each save, with the settings now on disk (the desktop updates its menu). */
  readonly onSaved?: (settings: Settings) => void;
}

/** Settings in `dir`/settings.json. The folder is created on the first save. */
export function createSettingsFile(dir: string, options: SettingsFileOptions = {}): SettingsStore {
  const file = join(dir, SETTINGS_FILE_NAME);
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<Settings> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
      throw error;
    }
    const result: SettingsRead =
      bytes.length > MAX_SETTINGS_FILE_BYTES
        ? {
            ok: false,
            settings: DEFAULT_SETTINGS,
            problem: `it is ${bytes.length} bytes, over ${MAX_SETTINGS_FILE_BYTES}`,
          }
        : parseSettings(bytes.toString('utf8'));
    if (!result.ok) {
      // Kept aside under a new name, so the user's file is never lost and the next save
      // does not overwrite it.
      const keptAt = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, keptAt);
      options.onSetAside?.(result.problem, keptAt);
    }
    return result.settings;
  }

  async function write(settings: Settings): Promise<void> {
    await mkdir(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }

  function serially<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    read: () => serially(read),
    save: (patch) =>
      serially(async () => {
        const settings = mergeSettings(await read(), patch);
        await write(settings);
        options.onSaved?.(settings);
        return settings;
      }),
  };
}

/** Settings that live only as long as the process (tests, and faces given no folder). */
export function createMemorySettings(initial: Settings = DEFAULT_SETTINGS): SettingsStore {
  let current = initial;
  return {
    read: async () => current,
    save: async (patch) => (current = mergeSettings(current, patch)),
  };
}

/**
 * The price table of the settings file in `dir`, read without changing anything (the CLI's
 * serve-plan uses it; an unreadable file gives no prices, and the app sets it aside on its start).
 */
export async function readSavedPrices(dir: string): Promise<Readonly<Record<string, number>>> {
  try {
    const bytes = await readFile(join(dir, SETTINGS_FILE_NAME));
    if (bytes.length > MAX_SETTINGS_FILE_BYTES) return {};
    return parseSettings(bytes.toString('utf8')).settings.servingPricesUsdPerHour;
  } catch {
    return {};
  }
}

/** Browser mode's settings file, in browserSettingsDir of this process's environment. */
export function createBrowserSettings(options: SettingsFileOptions = {}): SettingsStore {
  return createSettingsFile(browserSettingsDir(process.env, homedir()), options);
}
