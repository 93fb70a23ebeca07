import { execFileSync } from 'node:child_process';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { writeFileAtomic } from '../../../../electron/services/atomic-write';
import { STALE_TEMP_AGE_MS } from '../../../../electron/services/atomic-write-stale';
import { runHeadroom } from '../../../helpers/run-command';

/**
 * Issue 16, D2: `--out … --force` renamed over device nodes, FIFOs and symbolic links (as root,
 * `--out /dev/null --force` replaced /dev/null). D8: a killed write's temp file stayed forever.
 */

const posix = process.platform !== 'win32';
const root = process.getuid?.() === 0;
let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'headroom-targets-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function refusal(work: Promise<unknown>): Promise<HeadroomError> {
  try {
    await work;
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return thrown;
    throw thrown;
  }
  throw new Error('expected the write to be refused');
}

describe.runIf(posix)('report targets that are not regular files (D2)', () => {
  it('refuses a FIFO, with or without --force, and leaves it a FIFO', async () => {
    const fifo = join(folder, 'report.md');
    execFileSync('mkfifo', [fifo]);
    for (const force of [false, true]) {
      const error = await refusal(writeFileAtomic(fifo, '# report', { force }));
      expect(error.code).toBe('BAD_FILE');
      expect(error.message).toBe(
        `Cannot write ${fifo}: it is a named pipe (FIFO), and Headroom replaces only regular files; give another name.`,
      );
    }
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(folder)).toEqual(['report.md']);
  });

  it.runIf(root)(
    'refuses a character device (mknod c 1 3, a /dev/null) and leaves it',
    async () => {
      const device = join(folder, 'n');
      execFileSync('mknod', [device, 'c', '1', '3']);
      const error = await refusal(writeFileAtomic(device, '# report', { force: true }));
      expect(error.message).toContain('it is a character device');
      expect((await lstat(device)).isCharacterDevice()).toBe(true);
    },
  );

  it('refuses a symbolic link with --force: the link and the file it points to stay', async () => {
    const real = join(folder, 'real.md');
    const link = join(folder, 'link.md');
    await writeFile(real, 'kept');
    await symlink(real, link);
    const error = await refusal(writeFileAtomic(link, 'new', { force: true }));
    expect(error.message).toBe(
      `Cannot write ${link}: it is a symbolic link, and Headroom replaces only regular files; give the path of the file it points to, or another name.`,
    );
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('kept');
  });

  it('still replaces a regular file with --force', async () => {
    const path = join(folder, 'report.md');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new', { force: true });
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('report --out FIFO --force exits 2 with the reason, through the CLI', async () => {
    const fifo = join(folder, 'fit.md');
    execFileSync('mkfifo', [fifo]);
    const result = await runHeadroom([
      'report',
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-rtx-4090',
      '--format',
      'md',
      '--no-detect',
      '--out',
      fifo,
      '--force',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('it is a named pipe (FIFO)');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });
});

describe('stale temporary files of killed writes (D8)', () => {
  const dayAndAHourAgo = () => new Date(Date.now() - STALE_TEMP_AGE_MS - 3_600_000);

  it('removes our own day-old temp files beside the target, and nothing else', async () => {
    const stale = join(folder, '.report.md.0123456789ab.headroom-tmp');
    const fresh = join(folder, '.report.md.ba9876543210.headroom-tmp');
    const notOurs = join(folder, '.report.md.tmp');
    const staleFolder = join(folder, '.x.md.aaaaaaaaaaaa.headroom-tmp');
    const staleLink = join(folder, '.y.md.bbbbbbbbbbbb.headroom-tmp');
    await writeFile(stale, 'half a report');
    await writeFile(fresh, 'a write in progress');
    await writeFile(notOurs, 'someone else’s');
    await mkdir(staleFolder);
    await symlink(notOurs, staleLink);
    for (const path of [stale, fresh, notOurs, staleFolder]) {
      const when = path === fresh ? new Date() : dayAndAHourAgo();
      await utimes(path, when, when);
    }
    await writeFileAtomic(join(folder, 'other.md'), 'x');
    expect((await readdir(folder)).sort()).toEqual(
      [
        '.report.md.ba9876543210.headroom-tmp',
        '.report.md.tmp',
        '.x.md.aaaaaaaaaaaa.headroom-tmp',
        '.y.md.bbbbbbbbbbbb.headroom-tmp',
        'other.md',
      ].sort(),
    );
  });
});
