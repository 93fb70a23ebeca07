/**
 * Temporary files a killed write left behind (issue 16, D8): `writeFileAtomic` names its temp
 * file `.<target>.<12 hex>.headroom-tmp` beside the target, and a process killed between
 * creating and renaming it leaves it there. Each write sweeps its folder for such files that
 * are more than a day old; nothing else is touched (not other names, not links, not folders).
 */
import { lstat, opendir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The suffix of our temporary files; the full pattern is STALE_TEMP_NAME. */
export const TEMP_SUFFIX = '.headroom-tmp';

/** Exactly the names tempPathFor makes: a dot, the target's name, 6 random bytes in hex. */
const STALE_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.headroom-tmp$/;

/**
 * Age past which a temp file is stale: a day. A write that is still running has touched its
 * file within seconds (a PDF prints in under a minute), so a day-old one is a dead writer's.
 */
export const STALE_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Entries looked at per sweep: the sweep runs before every write, so in a huge folder (a /tmp
 * with 100k files) it stops early rather than make the write slow.
 */
const MAX_SWEPT_ENTRIES = 10_000;

/**
 * Removes our stale temporary files from a folder. Best effort: a file that cannot be removed
 * (another user's, a read-only folder) is left, and nothing here fails the write.
 *
 * @param folder the target's folder
 * @param nowMs the present, for tests
 * @returns the paths removed
 */
export async function removeStaleTemps(folder: string, nowMs = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  let seen = 0;
  try {
    const dir = await opendir(folder);
    for await (const entry of dir) {
      if (++seen > MAX_SWEPT_ENTRIES) break;
      if (!STALE_TEMP_NAME.test(entry.name)) continue;
      const path = join(folder, entry.name);
      // lstat, not the entry's type: only a regular file of ours, never what a link points at.
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile() || nowMs - info.mtimeMs < STALE_TEMP_AGE_MS) continue;
      if (
        await unlink(path).then(
          () => true,
          () => false,
        )
      )
        removed.push(path);
    }
  } catch {
    // An unreadable folder: the write itself will say what is wrong with it.
  }
  return removed;
}
