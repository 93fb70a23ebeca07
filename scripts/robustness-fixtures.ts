/**
 * The hostile files of `npm run robustness`, made fresh in a temporary folder: device files,
 * FIFOs, a socket, symbolic links, and model files that are truncated, lie about their lengths
 * or nest without end. Valid ones are made by the same writers as the tests (tests/helpers).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ggufFile, safetensorsFile } from '../tests/helpers/model-file-writers';
import { tinyLlamaConfig, tinyLlamaGguf, tinyLlamaSafetensors } from '../tests/helpers/tiny-models';

export interface Fixtures {
  /** The folder everything is in (shown as $DIR in the table). */
  readonly dir: string;
  /** Whether mknod works (root): device-node rows run only then. */
  readonly root: boolean;
  /** Path of a fixture by name. */
  path(name: string): string;
  /** Stops the socket's listener. */
  close(): Promise<void>;
}

/** u64 little-endian at `offset`: the lengths and counts a hostile header lies with. */
function withU64(bytes: Uint8Array, offset: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(offset, value, true);
  return copy;
}

/** A safetensors file whose header is `json` (any text), length prefix included. */
function safetensorsWithHeader(json: string): Uint8Array {
  const text = Buffer.from(json, 'utf8');
  const bytes = new Uint8Array(8 + text.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
  bytes.set(text, 8);
  return bytes;
}

const U64_MAX = 2n ** 64n - 1n;
/** GGUF header offsets (gguf.h): magic 0, version 4, tensor count 8, KV count 16, first key 24. */
const GGUF_VERSION_AT = 4;
const GGUF_TENSOR_COUNT_AT = 8;
const GGUF_KV_COUNT_AT = 16;
const GGUF_FIRST_KEY_LENGTH_AT = 24;

/** Makes every fixture the cases name. */
export async function makeFixtures(): Promise<Fixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-robustness-'));
  const path = (name: string) => join(dir, name);
  const root = process.getuid?.() === 0;
  const { kvs, tensors } = tinyLlamaGguf();
  const gguf = ggufFile(kvs, tensors);
  const safetensors = safetensorsFile(tinyLlamaSafetensors());
  const config = JSON.stringify(tinyLlamaConfig(), null, 2);
  const write = (name: string, data: string | Uint8Array) => writeFile(path(name), data);

  // Valid models, to show the hostile rows fail for their hostility alone.
  await write('tiny.gguf', gguf);
  await write('tiny.safetensors', safetensors);
  await mkdir(path('tiny-folder'));
  await writeFile(path('tiny-folder/config.json'), config);
  await writeFile(path('tiny-folder/model.safetensors'), safetensors);

  // Device files, pipes, sockets, links.
  execFileSync('mkfifo', [path('fifo.gguf')]);
  execFileSync('mkfifo', [path('fifo.safetensors')]);
  execFileSync('mkfifo', [path('fifo-report.md')]);
  await mkdir(path('fifo-folder'));
  execFileSync('mkfifo', [path('fifo-folder/config.json')]);
  const socketServer: Server = createServer();
  await new Promise<void>((resolve) => socketServer.listen(path('socket.gguf'), resolve));
  await symlink('/dev/zero', path('zero.gguf'));
  await symlink('/dev/urandom', path('urandom.safetensors'));
  await symlink(path('loop-b.gguf'), path('loop-a.gguf'));
  await symlink(path('loop-a.gguf'), path('loop-b.gguf'));
  await symlink(path('tiny.gguf'), path('linked.gguf'));
  await write('report-real.md', 'kept\n');
  await symlink(path('report-real.md'), path('report-link.md'));
  await write('report-existing.md', 'kept\n');
  await mkdir(path('report-folder.md'));
  await mkdir(path('empty-folder'));
  await mkdir(path('two-ggufs'));
  await writeFile(path('two-ggufs/a.gguf'), gguf);
  await writeFile(path('two-ggufs/b.gguf'), gguf);
  await write('a-file', 'x');
  if (root) execFileSync('mknod', [path('null-device.md'), 'c', '1', '3']);

  // GGUF headers that lie.
  await write('truncated.gguf', gguf.subarray(0, 20));
  await write('magic-only.gguf', gguf.subarray(0, 4));
  await write('empty.gguf', new Uint8Array(0));
  await write('tensor-count-max.gguf', withU64(gguf, GGUF_TENSOR_COUNT_AT, U64_MAX));
  await write('kv-count-max.gguf', withU64(gguf, GGUF_KV_COUNT_AT, U64_MAX));
  await write('key-length-max.gguf', withU64(gguf, GGUF_FIRST_KEY_LENGTH_AT, U64_MAX));
  const version99 = gguf.slice();
  new DataView(version99.buffer).setUint32(GGUF_VERSION_AT, 99, true);
  await write('version-99.gguf', version99);
  await write('half.gguf', gguf.subarray(0, Math.floor(gguf.length / 2)));

  // safetensors headers that lie.
  await write('length-max.safetensors', withU64(safetensors, 0, U64_MAX));
  await write('length-past-end.safetensors', withU64(safetensors, 0, 10n ** 9n));
  await write('not-json.safetensors', safetensorsWithHeader('{{{{ not json'));
  await write('deep.safetensors', safetensorsWithHeader('['.repeat(100_000)));
  await write(
    'offsets-past-end.safetensors',
    safetensorsWithHeader('{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,1000000000]}}'),
  );
  await write(
    'shape-overflow.safetensors',
    safetensorsWithHeader(
      '{"w":{"dtype":"F16","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}',
    ),
  );
  await write('empty.safetensors', new Uint8Array(0));
  // A 100 GB sparse file whose header claims 50 GB: nothing that size may be read or allocated.
  const sparse = await open(path('sparse-100g.safetensors'), 'w');
  await sparse.write(withU64(new Uint8Array(8), 0, 50n * 10n ** 9n), 0, 8, 0);
  await sparse.truncate(100 * 10 ** 9);
  await sparse.close();

  // config.json files, each in its own folder (a folder's config.json is what is read).
  const configs: Record<string, string | Uint8Array> = {
    'config-bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(config)]),
    'config-empty': '',
    'config-null': 'null',
    'config-deep': '['.repeat(200_000),
    'config-huge': `{"pad":"${'x'.repeat(17 * 1024 * 1024)}"}`,
    'config-bad-utf8': Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    'config-layers-1e300': config.replace('"num_hidden_layers": 2', '"num_hidden_layers": 1e300'),
    'config-negative-hidden': config.replace('"hidden_size": 256', '"hidden_size": -256'),
    'config-zero-heads': config.replace('"num_attention_heads": 2', '"num_attention_heads": 0'),
    'config-string-layers': config.replace('"num_hidden_layers": 2', '"num_hidden_layers": "2"'),
  };
  for (const [name, content] of Object.entries(configs)) {
    await mkdir(path(name));
    await writeFile(path(`${name}/config.json`), content);
  }

  // Shard indexes that point outside their folder or lie about their shards.
  const index = (weightMap: unknown) => JSON.stringify({ metadata: {}, weight_map: weightMap });
  await mkdir(path('index-escape'));
  await writeFile(
    path('index-escape/model.safetensors.index.json'),
    index({ w: '../../../../etc/passwd' }),
  );
  await mkdir(path('index-missing-shard'));
  await writeFile(
    path('index-missing-shard/model.safetensors.index.json'),
    index({ w: 'model-00001-of-00002.safetensors' }),
  );
  await mkdir(path('index-not-object'));
  await writeFile(path('index-not-object/model.safetensors.index.json'), index([1, 2, 3]));

  return {
    dir,
    root,
    path,
    close: () => new Promise<void>((resolve) => socketServer.close(() => resolve())),
  };
}
