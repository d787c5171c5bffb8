// Progress of apply on the CLI's stderr (the action logs a line every tenth instead: both are the entry points'
// business, not the renderers'). A terminal gets one bar redrawn in place; a CI log cannot redraw, so it gets a
// plain line now and then (every `intervalMs`, or each time another 10 % is done) instead of thousands of lines.
import { thousands } from '../render/summary.js';

export interface ProgressOptions {
  label?: string;
  /** Non-TTY: the longest silence between lines (default 10 s). */
  intervalMs?: number;
  /** TTY: the shortest time between redraws (default 100 ms), so a fast apply does not flood the terminal. */
  redrawMs?: number;
  /** TTY: width of the bar itself in characters. */
  barWidth?: number;
}

interface Writable { write(chunk: string): unknown; columns?: number }

/** The bar being drawn on each terminal stream, so a log line for that stream can go above it. */
const drawing = new WeakMap<object, ProgressReporter>();

/**
 * Writes one line to a stream where a progress bar may be drawn: the bar is cleared first, the line stands on its
 * own, and the bar is drawn again below it. Without a bar, the line is written as it is.
 */
export function writeLine(stream: Writable, line: string): void {
  const bar = drawing.get(stream);
  if (!bar) {
    stream.write(`${line}\n`);
    return;
  }
  bar.clear();
  stream.write(`${line}\n`);
  bar.redraw();
}

export class ProgressReporter {
  private total = 0;
  private done = 0;
  private started = 0;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private lastTenth = 0;
  private lastWidth = 0;
  private lastPrinted = -1;
  private finished = false;
  private readonly label: string;
  private readonly intervalMs: number;
  private readonly redrawMs: number;
  private readonly barWidth: number;

  constructor(
    private readonly stream: Writable,
    private readonly isTTY: boolean,
    private readonly now: () => number = Date.now,
    opts: ProgressOptions = {},
  ) {
    this.label = opts.label ?? 'apply';
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.redrawMs = opts.redrawMs ?? 100;
    this.barWidth = opts.barWidth ?? 24;
  }

  start(total: number): void {
    this.total = total;
    this.done = 0;
    this.started = this.now();
    this.lastTenth = 0;
    this.finished = false;
    this.lastWrite = Number.NEGATIVE_INFINITY;
    this.lastPrinted = 0;
    if (this.isTTY) drawing.set(this.stream, this);
    if (this.isTTY) this.draw();
    else this.stream.write(`${this.label}: 0/${thousands(total)} (0%)\n`);
    this.lastWrite = this.started;
  }

  /** Reports how many are done so far; `total` may grow when work is discovered on the way. */
  update(done: number, total = this.total): void {
    this.done = done;
    this.total = total;
    const t = this.now();
    if (this.isTTY) {
      if (t - this.lastWrite >= this.redrawMs) { this.draw(); this.lastWrite = t; }
      return;
    }
    const tenth = this.total > 0 ? Math.floor((this.done / this.total) * 10) : 0;
    if (t - this.lastWrite >= this.intervalMs || tenth > this.lastTenth) {
      this.stream.write(this.line() + '\n');
      this.lastPrinted = this.done;
      this.lastWrite = t;
      this.lastTenth = tenth;
    }
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.isTTY) {
      if (drawing.get(this.stream) === this) drawing.delete(this.stream);
      this.draw();
      this.stream.write('\n');
      return;
    }
    // The last 10 % step often is the end already; the log needs that line once.
    if (this.lastPrinted !== this.done) this.stream.write(this.line() + '\n');
  }

  private percent(): number {
    return this.total > 0 ? Math.floor((this.done / this.total) * 100) : 100;
  }

  /** Per second since start, and the seconds left at that rate (undefined until there is a rate). */
  private pace(): { rate: number; eta?: number } {
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    return { rate, eta: rate > 0 ? (this.total - this.done) / rate : undefined };
  }

  private line(): string {
    const { rate, eta } = this.pace();
    let s = `${this.label}: ${thousands(this.done)}/${thousands(this.total)} (${this.percent()}%)`;
    if (rate > 0) s += `, ${formatRate(rate)}/s`;
    if (eta !== undefined && this.done < this.total) s += `, about ${duration(eta)} left`;
    return s;
  }

  /** Blanks the bar's line and returns to its start (spaces rather than an erase code: plain text throughout). */
  clear(): void {
    if (this.lastWidth) this.stream.write(`\r${' '.repeat(this.lastWidth)}\r`);
    this.lastWidth = 0;
  }

  redraw(): void {
    if (!this.finished) this.draw();
  }

  private draw(): void {
    const { rate, eta } = this.pace();
    const filled = this.total > 0 ? Math.min(this.barWidth, Math.floor((this.done / this.total) * this.barWidth)) : this.barWidth;
    const bar = '█'.repeat(filled) + '░'.repeat(this.barWidth - filled);
    const pct = `${this.percent()}%`.padStart(4);
    let s = `${this.label} ${bar} ${thousands(this.done)}/${thousands(this.total)} ${pct}`;
    if (rate > 0) s += `  ${formatRate(rate)}/s`;
    if (eta !== undefined && this.done < this.total) s += `  ETA ${duration(eta)}`;
    // A line longer than the terminal wraps, and \r then only returns to its last row: cut it to fit.
    const columns = this.stream.columns;
    if (columns && s.length >= columns) s = s.slice(0, Math.max(1, columns - 1));
    // Pad over the previous line's tail rather than using an erase code, so the output stays plain text.
    const pad = Math.max(0, this.lastWidth - s.length);
    this.lastWidth = s.length;
    this.stream.write(`\r${s}${' '.repeat(pad)}`);
  }
}

function formatRate(rate: number): string {
  return rate >= 10 ? thousands(Math.round(rate)) : rate.toFixed(1);
}

/** `0:18`, `12:05`, `1:02:09`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
