// Types of floor.mjs for the TypeScript tests that check it.
export interface GraphLimits {
  writesPerSecond: number;
  writesPer150s: number;
  tenantWritesPer5min: number;
  teamsPostsPerSecond: number;
  mailboxPer10min: number;
  mailboxConcurrency: number;
  batch: number;
}
export const GRAPH_LIMITS: GraphLimits;
interface RefLike { id?: string; createdBy?: string; name?: string }
interface ChangeLike { kind: string; action: string; via?: string; target?: RefLike; group?: RefLike; member?: RefLike }
interface SnapshotLike { users: unknown[]; groups: { members: unknown[]; owners: unknown[] }[]; classes: unknown[]; teams: unknown[] }
export interface Floor {
  seconds: number;
  readSeconds: number;
  directoryWrites: number;
  directorySeconds: number;
  teamPosts: number;
  teamsSeconds: number;
  mailboxes: number;
  outlookSeconds: number;
  chainSeconds: number;
}
export function floorSeconds(
  plan: { changes: ChangeLike[] },
  opts: { snapshot?: SnapshotLike; latencyMs: number; teamProvisioningMs: number; education?: boolean; limits?: GraphLimits },
): Floor;
