/**
 * Every process a tool run started, found on Linux through procfs, so that a deadline can kill
 * them all. A process group is not enough: a child that calls setsid(2) leaves the tool's group
 * and session, and keeps running (and holding the output pipe) after the group is killed
 * (issue 16, D8). Two marks find such children: the parent links in `/proc/N/stat` while the
 * tool is alive, and an environment variable every run gets, which children inherit across
 * setsid and keep after their parent died (when they are re-parented to init); a child that
 * escaped that way leads its own session, so only session leaders' environments are read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/** The environment variable that marks a tool run's processes. */
export const RUN_MARK_VARIABLE = 'HEADROOM_TOOL_RUN';

/** A fresh mark for one run. */
export const newRunMark = (): string => randomUUID();

/**
 * `/proc/N/stat`'s parent pid and session id: the 4th and 6th fields, after the `(comm)` that
 * may hold spaces (proc(5)).
 */
function parentAndSession(stat: string): { ppid: number; sid: number } | undefined {
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(afterComm[1]);
  const sid = Number(afterComm[3]);
  return Number.isInteger(ppid) && Number.isInteger(sid) ? { ppid, sid } : undefined;
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
  const leaders: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = readText(`${procRoot}/${entry}/stat`);
    const facts = stat === undefined ? undefined : parentAndSession(stat);
    if (!facts) continue;
    children.set(facts.ppid, [...(children.get(facts.ppid) ?? []), pid]);
    // What escaped by setsid leads a session; its own children are found as descendants.
    if (facts.sid === pid && pid !== rootPid) leaders.push(pid);
  }
  // Reading environ costs ~0.2 ms a process, so only session leaders are read.
  const needle = `${RUN_MARK_VARIABLE}=${mark}\0`;
  const marked = leaders.filter((pid) => readText(`${procRoot}/${pid}/environ`)?.includes(needle));
  const found = new Set<number>(marked);
  const queue = [rootPid, ...marked];
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
