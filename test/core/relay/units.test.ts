import { describe, expect, it } from 'vitest';
import { formatDuration, hasGivenUp, nextRetryDelayMs, parseDuration, parseRate, probeDelayMs } from '../../../electron/core/relay';

describe('durations and rates', () => {
  it('reads the durations of the command line spec', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
  });

  it('refuses what is not a duration, with an example', () => {
    for (const bad of ['', '5', 'soon', '5 minutes', '-1s', '1h 30x']) {
      expect(() => parseDuration(bad)).toThrow(/500ms, 30s, 5m, 2h or 3d/);
    }
  });

  it('writes durations back shortly', () => {
    expect(formatDuration(60_000)).toBe('1m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(250)).toBe('250ms');
  });

  it('reads rates per second, minute and hour', () => {
    expect(parseRate('5/s')).toEqual({ count: 5, unit: 'second' });
    expect(parseRate('30/m')).toEqual({ count: 30, unit: 'minute' });
    expect(parseRate('1000/h')).toEqual({ count: 1000, unit: 'hour' });
    expect(parseRate('30/min')).toEqual({ count: 30, unit: 'minute' });
  });

  it('refuses rates of zero or without a unit', () => {
    for (const bad of ['0/s', '5', '5/d', 'fast']) expect(() => parseRate(bad)).toThrow(/5\/s, 30\/m or 1000\/h/);
  });
});

describe('backoff', () => {
  const policy = { minMs: 60_000, maxMs: 3_600_000, giveUpMs: 48 * 3_600_000 };

  it('doubles from retry-min with jitter and never exceeds retry-max', () => {
    expect(nextRetryDelayMs(policy, 1, () => 0)).toBe(60_000);
    expect(nextRetryDelayMs(policy, 3, () => 0)).toBe(120_000);
    expect(nextRetryDelayMs(policy, 3, () => 1)).toBe(240_000);
    expect(nextRetryDelayMs(policy, 30, () => 1)).toBe(3_600_000);
  });

  it('gives up after --give-up', () => {
    expect(hasGivenUp(policy, 0, 48 * 3_600_000 - 1)).toBe(false);
    expect(hasGivenUp(policy, 0, 48 * 3_600_000)).toBe(true);
  });

  it('probes an unreachable relay more and more rarely, up to five minutes', () => {
    expect(probeDelayMs(1, () => 0.5)).toBe(2_000);
    expect(probeDelayMs(4, () => 0.5)).toBe(16_000);
    expect(probeDelayMs(50, () => 0.5)).toBe(300_000);
  });
});
