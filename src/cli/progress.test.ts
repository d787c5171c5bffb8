import { describe, expect, it } from 'vitest';
import { duration, ProgressReporter } from './progress.js';

function harness(isTTY: boolean, opts = {}) {
  const chunks: string[] = [];
  let now = 1_000_000;
  const reporter = new ProgressReporter({ write: (s: string) => { chunks.push(s); return true; } }, isTTY, () => now, opts);
  return { reporter, chunks, advance: (ms: number) => { now += ms; } };
}

describe('ProgressReporter on a CI log', () => {
  it('prints a plain line every 10 % or every interval, whichever comes first, and a final line', () => {
    const { reporter, chunks, advance } = harness(false);
    reporter.start(3_400);
    for (let done = 1; done <= 3_400; done++) {
      advance(5); // 200 per second
      reporter.update(done);
    }
    reporter.finish();
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r') && !c.includes('\x1b'))).toBe(true);
    expect(chunks[0]).toBe('apply: 0/3,400 (0%)\n');
    expect(chunks).toContain('apply: 1,020/3,400 (30%), 200/s, about 0:12 left\n');
    expect(chunks.at(-1)).toBe('apply: 3,400/3,400 (100%), 200/s\n');
    // 10 % steps come every 1.7 s, before any 10 s interval: start and ten steps, the last of which is the end.
    expect(chunks).toHaveLength(11);
  });

  it('prints on the interval when progress is slow', () => {
    const { reporter, chunks, advance } = harness(false, { intervalMs: 10_000 });
    reporter.start(10_000);
    for (let done = 1; done <= 50; done++) { advance(1_000); reporter.update(done); }
    expect(chunks).toEqual([
      'apply: 0/10,000 (0%)\n',
      'apply: 10/10,000 (0%), 1.0/s, about 2:46:30 left\n',
      'apply: 20/10,000 (0%), 1.0/s, about 2:46:20 left\n',
      'apply: 30/10,000 (0%), 1.0/s, about 2:46:10 left\n',
      'apply: 40/10,000 (0%), 1.0/s, about 2:46:00 left\n',
      'apply: 50/10,000 (0%), 1.0/s, about 2:45:50 left\n',
    ]);
  });
});

describe('ProgressReporter on a terminal', () => {
  it('redraws one line with \\r, bar, done/total, percent, rate and ETA, and ends it on finish', () => {
    const { reporter, chunks, advance } = harness(true, { barWidth: 10, label: 'apply' });
    reporter.start(400);
    advance(2_000);
    reporter.update(100);
    expect(chunks.at(-1)).toBe('\rapply ██░░░░░░░░ 100/400  25%  50/s  ETA 0:06');
    advance(6_000);
    reporter.update(400);
    reporter.finish();
    expect(chunks.at(-2)).toBe('\rapply ██████████ 400/400 100%  50/s');
    expect(chunks.at(-1)).toBe('\n');
    expect(chunks.filter((c) => c.includes('\n'))).toHaveLength(1);
    // The shorter final line pads over the tail of the previous one instead of using an erase code.
    expect(chunks.at(-3)!.length).toBeGreaterThanOrEqual(chunks.at(-4)!.length);
  });

  it('throttles redraws so a fast apply does not flood the terminal', () => {
    const { reporter, chunks, advance } = harness(true, { redrawMs: 100 });
    reporter.start(10_000);
    for (let done = 1; done <= 10_000; done++) { advance(1); reporter.update(done); }
    expect(chunks.length).toBeLessThanOrEqual(101);
    expect(chunks.length).toBeGreaterThan(90);
  });
});

describe('duration', () => {
  it('reads as m:ss or h:mm:ss', () => {
    expect(duration(18)).toBe('0:18');
    expect(duration(725)).toBe('12:05');
    expect(duration(3_729)).toBe('1:02:09');
  });
});

/** What a terminal shows after these writes: \r returns to the line's start, \n starts the next line. */
function screen(chunks: string[]): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  for (const ch of chunks.join('')) {
    if (ch === '\r') col = 0;
    else if (ch === '\n') { lines.push([]); col = 0; } else lines[lines.length - 1][col++] = ch;
  }
  return lines.map((l) => l.join('').trimEnd());
}

describe('ProgressReporter and log lines on a terminal (issue 12.9)', () => {
  it('a log line while the bar is drawn clears the bar, stands on its own line, and the bar is drawn again below it', async () => {
    const { consoleLogger } = await import('./logger.js');
    const chunks: string[] = [];
    let now = 0;
    const tty = { isTTY: true, write: (s: string) => { chunks.push(s); return true; } };
    const reporter = new ProgressReporter(tty, true, () => now, { redrawMs: 0 });
    const log = consoleLogger({ stream: tty as unknown as NodeJS.WritableStream });
    reporter.start(100);
    now += 1000;
    reporter.update(40);
    log.warn('a group could not be found; it is created');
    log.info('second line');
    now += 1000;
    reporter.update(60);
    const shown = screen(chunks);
    expect(shown[0]).toBe('warning: a group could not be found; it is created');
    expect(shown[1]).toBe('second line');
    expect(shown[2]).toMatch(/^apply █{14}░{10} 60\/100\s+60%/);
    expect(shown).toHaveLength(3);
    reporter.finish();
    // After the bar is finished, log lines are written plainly again.
    log.info('done');
    expect(screen(chunks).slice(2)).toEqual([expect.stringMatching(/^apply █{24} 100\/100 100%|^apply █{14}░{10} 60\/100/), 'done', '']);
  });

  it('the bar is cut to the terminal width, so a narrow terminal does not wrap it onto new lines', () => {
    const chunks: string[] = [];
    const tty = { isTTY: true, columns: 30, write: (s: string) => { chunks.push(s); return true; } };
    const reporter = new ProgressReporter(tty, true, () => 0);
    reporter.start(12_345);
    expect(screen(chunks).every((l) => l.length < 30)).toBe(true);
  });

  it('a CI log gets log lines and progress lines one after the other, untouched', async () => {
    const { consoleLogger } = await import('./logger.js');
    const chunks: string[] = [];
    const out = { write: (s: string) => { chunks.push(s); return true; } };
    const reporter = new ProgressReporter(out, false, () => 0);
    const log = consoleLogger({ stream: out as unknown as NodeJS.WritableStream });
    reporter.start(10);
    log.info('hello');
    expect(chunks).toEqual(['apply: 0/10 (0%)\n', 'hello\n']);
  });
});
