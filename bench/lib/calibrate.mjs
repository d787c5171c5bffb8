// The machine's speed at the moment, as one figure: the seconds a fixed piece of work takes in a fresh process.
// This machine's speed is not steady (the same plan100k code took 2.3 s and 3.1 s in runs a minute apart, quiet
// both times), so each timed run of a short case is taken with a calibration run just before it; a reader then sees
// whether a slow figure came with a slow machine. The work is the kind planning does (objects with string ids made,
// looked up in a Map, sorted, written out as text), fixed and seeded, so only the machine changes it. It is a
// figure beside the results, never a correction of them: targets are met or missed on the measured walls.
// `node bench/lib/calibrate.mjs` prints {"calibrationSeconds": …}; calibrate() runs it as a child process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PEOPLE = 50_000;

function work() {
  // A small seeded generator (mulberry32), so every run makes the same records.
  let seed = 17;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const people = [];
  for (let i = 0; i < PEOPLE; i++) {
    const n = Math.floor(random() * 1e7);
    people.push({ id: `student:${n}`, first: `F${n % 9973}`, last: `L${n % 7919}`, year: `Y${(n % 7) + 7}` });
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  let found = 0;
  for (let i = 0; i < 3 * PEOPLE; i++) if (byId.get(`student:${Math.floor(random() * 1e7)}`)) found++;
  people.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let length = 0;
  for (const p of people) length += JSON.stringify(p).length;
  return found + length;
}

/** Seconds of the fixed work in a fresh Node process (JIT and heap alike each time). */
export function calibrate() {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { encoding: 'utf8' });
  return JSON.parse(out).calibrationSeconds;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const check = work();
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ calibrationSeconds: Number(seconds.toFixed(3)), check }) + '\n');
}
