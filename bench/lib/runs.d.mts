// Types of runs.mjs for the TypeScript tests that check it.
type Run = Record<string, number> & { wallSeconds: number; calibrationSeconds: number };
export const RUNS: number;
export function median(xs: readonly number[]): number;
export function repeat<T extends Record<string, unknown>>(measure: (i: number) => T | Promise<T>, runs?: number): Promise<(T & { calibrationSeconds: number })[]>;
export function summarise(runs: readonly Run[], options: { medianOf: string[]; maxOf: string[]; targetWallSeconds: number }): Record<string, unknown>;
