/**
 * Every process a tool run started, found on Linux through procfs, so that a deadline can kill
 * them all. A process group is not enough: a child that calls setsid(2) leaves the tool's group
 * and session, and keeps running (and holding the output pipe) after the group is killed
 * (issue 16, D8). Two marks find such children: the parent links in `/proc/N/stat` while the
 * tool is alive, and an environment variable every run gets, which children inherit across
 * setsid and keep after their parent died (when they are re-parented to init).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/** The environment variable that marks a tool run's processes. */
export const RUN_MARK_VARIABLE = 'HEADROOM_TOOL_RUN';

/** A fresh mark for one run. */
export const newRunMark = (): string => randomUUID();

/** `/proc/N/stat`'s parent pid: the 4th field, after the `(comm)` that may hold spaces. */
function parentOf(stat: string): number | undefined {
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(afterComm[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined; // gone, or another user's (environ is readable by its owner only)
  }
}

/**
 * The pids of a run: its root's descendants, and every process whose environment carries the
 * run's mark. Synchronous, so the exit hook can use it too.
 * @param rootPid the tool's pid
 * @param mark the value of RUN_MARK_VARIABLE given to the tool
 * @param procRoot `/proc` on a real machine
 * @returns the pids found, the root's excluded; empty where procfs cannot be read
 */
export function processesOfRun(rootPid: number, mark: string, procRoot = '/proc'): number[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  const marked = new Set<number>();
  const needle = `${RUN_MARK_VARIABLE}=${mark}\0`;
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = readText(`${procRoot}/${entry}/stat`);
    const ppid = stat === undefined ? undefined : parentOf(stat);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    if (readText(`${procRoot}/${entry}/environ`)?.includes(needle)) marked.add(pid);
  }
  const found = new Set<number>(marked);
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() ?? -1) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  found.delete(rootPid);
  return [...found];
}
