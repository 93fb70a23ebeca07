import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SavedModel, type Settings } from '../../../core/bridge';
import {
  browserSettingsDir,
  createSettingsFile,
  MAX_RECENT_MODELS,
  mergeSettings,
  parseSettings,
  SETTINGS_FILE_NAME,
  withRecentModel,
} from '../../../electron/services/settings';

const LLAMA: SavedModel = { kind: 'catalog', id: 'meta-llama/Llama-3.1-8B' };
const QWEN: SavedModel = { kind: 'catalog', id: 'Qwen/Qwen3-8B' };
const GGUF: SavedModel = { kind: 'file', path: '/models/qwen3-8b-q4_k_m.gguf' };

describe('merging a settings patch', () => {
  it('replaces the fields the patch names and keeps the others', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, { unit: 'GiB', theme: 'dark' });
    expect(merged).toEqual({ ...DEFAULT_SETTINGS, unit: 'GiB', theme: 'dark' });
  });

  it('moves a new last model to the front of the recent models, once', () => {
    let settings: Settings = DEFAULT_SETTINGS;
    for (const model of [LLAMA, QWEN, GGUF, LLAMA]) {
      settings = mergeSettings(settings, { lastModel: model });
    }
    expect(settings.lastModel).toEqual(LLAMA);
    expect(settings.recentModels).toEqual([LLAMA, GGUF, QWEN]);
  });

  it(`keeps at most ${MAX_RECENT_MODELS} recent models, dropping the oldest`, () => {
    let recent: readonly SavedModel[] = [];
    for (let i = 1; i <= MAX_RECENT_MODELS + 2; i++) {
      recent = withRecentModel(recent, { kind: 'params', params: i * 1e9 });
    }
    expect(recent).toHaveLength(MAX_RECENT_MODELS);
    expect(recent[0]).toEqual({ kind: 'params', params: (MAX_RECENT_MODELS + 2) * 1e9 });
    expect(recent).not.toContainEqual({ kind: 'params', params: 1e9 });
  });

  it('takes a recent list the patch gives as it is (clearing the history)', () => {
    const withHistory = mergeSettings(DEFAULT_SETTINGS, { lastModel: QWEN });
    expect(mergeSettings(withHistory, { lastModel: LLAMA, recentModels: [] }).recentModels).toEqual(
      [],
    );
  });
});

describe('reading a settings file', () => {
  it('fills fields an older file lacks with the defaults', () => {
    expect(parseSettings('{"unit":"GiB"}')).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, unit: 'GiB' },
    });
  });

  it('refuses text that is not JSON, or fields that are not settings', () => {
    for (const text of ['{"unit": "GiB"', '[]', '{"unit":"MB"}', '{"theme":"dark","extra":1}']) {
      const read = parseSettings(text);
      expect(read.ok, text).toBe(false);
      expect(read.settings).toEqual(DEFAULT_SETTINGS);
    }
  });
});

describe('where browser mode keeps its settings', () => {
  const home = '/home/ada';

  it('uses HEADROOM_CONFIG_DIR when set', () => {
    expect(browserSettingsDir({ HEADROOM_CONFIG_DIR: '/tmp/x' }, home)).toBe('/tmp/x');
  });

  it('uses $XDG_CONFIG_HOME/headroom, else ~/.config/headroom (XDG Base Directory spec)', () => {
    expect(browserSettingsDir({ XDG_CONFIG_HOME: '/cfg' }, home)).toBe('/cfg/headroom');
    expect(browserSettingsDir({}, home)).toBe('/home/ada/.config/headroom');
    // "If $XDG_CONFIG_HOME is either not set or empty, a default equal to $HOME/.config
    // should be used"; relative paths are invalid and ignored.
    expect(browserSettingsDir({ XDG_CONFIG_HOME: '' }, home)).toBe('/home/ada/.config/headroom');
    expect(browserSettingsDir({ XDG_CONFIG_HOME: 'rel' }, home)).toBe('/home/ada/.config/headroom');
  });
});

describe('the settings file on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-settings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the defaults before anything is saved, and creates nothing', async () => {
    const store = createSettingsFile(join(dir, 'not-yet'));
    await expect(store.read()).resolves.toEqual(DEFAULT_SETTINGS);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('saves through a temp file and a rename: only settings.json is left, as JSON', async () => {
    const store = createSettingsFile(dir);
    await store.save({ unit: 'GiB', lastModel: LLAMA });
    expect(await readdir(dir)).toEqual([SETTINGS_FILE_NAME]);
    const onDisk = JSON.parse(await readFile(join(dir, SETTINGS_FILE_NAME), 'utf8')) as Settings;
    expect(onDisk).toEqual({
      ...DEFAULT_SETTINGS,
      unit: 'GiB',
      lastModel: LLAMA,
      recentModels: [LLAMA],
    });
    await expect(createSettingsFile(dir).read()).resolves.toEqual(onDisk);
  });

  it('loses no patch when saves overlap', async () => {
    const store = createSettingsFile(dir);
    await Promise.all([
      store.save({ unit: 'GiB' }),
      store.save({ theme: 'dark' }),
      store.save({ showTraining: false }),
      store.save({ lastModel: QWEN }),
    ]);
    await expect(store.read()).resolves.toMatchObject({
      unit: 'GiB',
      theme: 'dark',
      showTraining: false,
      lastModel: QWEN,
    });
  });

  it('falls back to the defaults on a corrupt file and keeps the file aside, unchanged', async () => {
    const corrupt = '{"unit": "GiB", "theme": ';
    await writeFile(join(dir, SETTINGS_FILE_NAME), corrupt);
    const setAside: { problem: string; keptAt: string }[] = [];
    const store = createSettingsFile(dir, {
      onSetAside: (problem, keptAt) => setAside.push({ problem, keptAt }),
    });
    await expect(store.read()).resolves.toEqual(DEFAULT_SETTINGS);
    expect(setAside).toHaveLength(1);
    expect(setAside[0]!.problem).toBe('it is not JSON');
    await expect(readFile(setAside[0]!.keptAt, 'utf8')).resolves.toBe(corrupt);
    // The next save writes a fresh file beside the one kept aside.
    await store.save({ theme: 'light' });
    expect((await readdir(dir)).sort()).toEqual(
      [SETTINGS_FILE_NAME, setAside[0]!.keptAt.slice(dir.length + 1)].sort(),
    );
  });

  it('tells the desktop after each save what is now on disk', async () => {
    const saved: Settings[] = [];
    const store = createSettingsFile(dir, { onSaved: (settings) => saved.push(settings) });
    await store.save({ theme: 'dark' });
    expect(saved.map((settings) => settings.theme)).toEqual(['dark']);
  });
});
