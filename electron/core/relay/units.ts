/** Durations and rates as people type them on the command line (`30s`, `5m`, `2h`, `3d`; `5/s`, `30/m`, `1000/h`). */
import { PostroomError } from '../../../shared/errors';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `500ms`, `30s`, `5m`, `2h`, `3d` (also `1.5h`, and combinations such as `1h30m`) → milliseconds.
 * Throws INVALID_INPUT with an example when the text isn't a duration.
 */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length || !Number.isFinite(total)) {
    throw new PostroomError('INVALID_INPUT', `"${text}" is not a duration. Write a number and a unit: 500ms, 30s, 5m, 2h or 3d.`);
  }
  return Math.round(total);
}

/** The shortest way to write a duration back: 60000 → `1m`, 5400000 → `1h30m`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

export interface ParsedRate {
  count: number;
  unit: 'second' | 'minute' | 'hour';
}

/** `5/s`, `30/m`, `1000/h` (also `30/min`, `100/hour`) → { count, unit }. Throws INVALID_INPUT otherwise. */
export function parseRate(text: string): ParsedRate {
  const m = /^\s*(\d+)\s*\/\s*(s|sec|second|m|min|minute|h|hr|hour)\s*$/i.exec(text);
  const count = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1) {
    throw new PostroomError('INVALID_INPUT', `"${text}" is not a rate. Write how many messages per second, minute or hour: 5/s, 30/m or 1000/h.`);
  }
  const u = m[2]!.toLowerCase()[0];
  return { count, unit: u === 's' ? 'second' : u === 'm' ? 'minute' : 'hour' };
}
