import type { OutputStream } from './io';

export interface ProgressUpdate {
  events: number;
  seconds: number;
  /** how far through the log, 0..1, when it can be estimated */
  fraction: number | null;
}

export interface ProgressOptions {
  /** at most one redraw of the bar in this many ms (default 100) */
  redrawMs?: number;
  /** at most one plain line in this many ms (default 2000) */
  lineMs?: number;
  /** the clock the throttling reads (default Date.now) */
  clock?: () => number;
}

/**
 * Progress of a long run: a bar redrawn in place on a terminal, plain lines now and then otherwise (a log file or
 * a pipe gets no carriage returns). Shows events, events per second and the time left.
 */
export class Progress {
  private lastDraw = -Infinity;
  private drawn = false;
  private lastEvents = -1;
  private readonly tty: boolean;
  private readonly clock: () => number;

  constructor(
    private readonly out: OutputStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.tty = out.isTTY === true;
    this.clock = options.clock ?? Date.now;
  }

  update(update: ProgressUpdate): void {
    const now = this.clock();
    const every = this.tty ? (this.options.redrawMs ?? 100) : (this.options.lineMs ?? 2000);
    if (now - this.lastDraw < every) return;
    this.lastDraw = now;
    this.draw(update);
  }

  /** The final state, always shown (once); ends the bar's line. */
  finish(update: ProgressUpdate): void {
    if (!this.tty && this.lastEvents === update.events) return;
    this.draw({ ...update, fraction: 1 });
    if (this.tty) this.out.write('\n');
  }

  private draw(update: ProgressUpdate): void {
    const text = describe(update);
    this.lastEvents = update.events;
    this.drawn = true;
    if (!this.tty) {
      this.out.write(`${text}\n`);
      return;
    }
    const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - text.length - 10));
    const filled = update.fraction === null ? 0 : Math.round(clamp(update.fraction) * width);
    const bar = update.fraction === null ? '░'.repeat(width) : `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.out.write(`\r${bar} ${text}\u001b[K`);
  }

  /** whether anything was shown yet */
  get started(): boolean {
    return this.drawn;
  }
}

/** "52% 120000 events 48000 events/s 2s left" */
export function describe(update: ProgressUpdate): string {
  const rate = update.seconds > 0 ? Math.round(update.events / update.seconds) : update.events;
  const parts: string[] = [];
  if (update.fraction !== null) parts.push(`${String(Math.floor(clamp(update.fraction) * 100)).padStart(3)}%`);
  parts.push(`${update.events} events`, `${rate} events/s`);
  const left = timeLeft(update);
  if (left !== null) parts.push(`${formatDuration(left)} left`);
  return parts.join('  ');
}

function timeLeft(update: ProgressUpdate): number | null {
  if (update.fraction === null || update.fraction <= 0) return null;
  if (update.fraction >= 1) return 0;
  return (update.seconds * (1 - update.fraction)) / update.fraction;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function clamp(fraction: number): number {
  return Math.min(1, Math.max(0, fraction));
}
