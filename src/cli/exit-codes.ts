/** The exit codes of ARCHITECTURE.md; scripts and the action rely on them. */
export const EXIT = {
  ok: 0,
  error: 1,
  /** Only with --detailed-exitcode: the plan has changes. */
  changes: 2,
  /** A safety limit blocked the plan; nothing was written. */
  blocked: 3,
} as const;
