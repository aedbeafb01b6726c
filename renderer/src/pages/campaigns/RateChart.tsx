/**
 * The sending rate over time, drawn as one SVG area. Recharts redrew its whole tree (props filtered per element,
 * an internal store dispatch, tick text measured) on each new point: 40–100 ms of main thread a second on a
 * two-core machine during a 20,000-message send. This draws two paths and a few labels, a millisecond or two,
 * and the same size whatever the length of the send (at most CHART_POINTS points).
 */
import { Paper, Text, Title } from '@mantine/core';
import { memo, useMemo, useState, type MouseEvent } from 'react';
import { t } from '../../i18n';
import { formatClock, formatNumber } from '../../i18n/format';

export interface Point {
  t: number;
  rate: number;
}

const CHART_POINTS = 120;
const HEIGHT = 160;
const PAD = { top: 6, right: 8, bottom: 20, left: 40 };
export { formatClock };

/**
 * At most `max` points: the samples (one a second) are averaged in equal runs ending at the newest, so a long
 * send draws a path of the same size as a short one and the last point is always the latest rate.
 */
export function chartSeries(points: Point[], max = CHART_POINTS): Point[] {
  if (points.length <= max) return points;
  const per = Math.ceil(points.length / max);
  const out: Point[] = [];
  for (let end = points.length; end > 0; end -= per) {
    const run = points.slice(Math.max(0, end - per), end);
    out.push({ t: run[run.length - 1].t, rate: Math.round((run.reduce((a, p) => a + p.rate, 0) / run.length) * 10) / 10 });
  }
  return out.reverse();
}

/** Time ticks on round seconds (every 10 s, 30 s, a minute…, five at most), so labels don't jitter each second. */
export function clockTicks(from: number, to: number): number[] {
  const span = Math.max(1, to - from);
  const step = [10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * 1000).find((s) => span / s <= 5) ?? 3_600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A round top for the rate axis: 1, 2 or 5 times a power of ten, at or above the highest rate. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

const formatRate = (r: number) => formatNumber(r >= 10 ? Math.round(r) : Math.round(r * 10) / 10);

/** Memoised: a new status (four times a second) doesn't redraw it; only a new sample (once a second) does. */
export const RateChart = memo(function RateChart({ points }: { points: Point[] }) {
  const data = useMemo(() => chartSeries(points), [points]);
  const [hover, setHover] = useState<number | null>(null);
  const geometry = useMemo(() => {
    if (data.length < 2) return null;
    const t0 = data[0].t;
    const t1 = data[data.length - 1].t;
    const top = niceMax(Math.max(...data.map((p) => p.rate)));
    // Plot coordinates in a 1000 × 100 box, stretched to the element (non-scaling strokes keep lines crisp).
    const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * 1000;
    const y = (r: number) => 100 - (r / top) * 100;
    const line = data.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.rate).toFixed(2)}`).join('');
    return { t0, t1, top, x, y, line, area: `${line}L1000,100L0,100Z`, ticks: clockTicks(t0, t1) };
  }, [data]);
  if (!geometry || !data.some((p) => p.rate > 0)) return null;
  const { top, x, y, line, area, ticks } = geometry;
  const h = hover !== null ? data[Math.min(hover, data.length - 1)] : undefined;

  const onMove = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const at = ((e.clientX - box.left) / Math.max(1, box.width)) * 1000;
    let best = 0;
    for (let i = 1; i < data.length; i++) if (Math.abs(x(data[i].t) - at) < Math.abs(x(data[best].t) - at)) best = i;
    setHover(best);
  };

  const label = { position: 'absolute', fontSize: 11, color: 'var(--mantine-color-dimmed)', whiteSpace: 'nowrap', lineHeight: 1 } as const;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('chart.label')}>
      <Title order={2} size="h5" mb={4}>
        {t('chart.title')}
      </Title>
      <div style={{ position: 'relative', width: '100%', height: HEIGHT }} aria-hidden>
        {[top, top / 2, 0].map((v) => (
          <span key={v} style={{ ...label, left: 0, width: PAD.left - 6, textAlign: 'right', top: PAD.top + ((HEIGHT - PAD.top - PAD.bottom) * y(v)) / 100 - 5 }}>
            {formatRate(v)}
          </span>
        ))}
        <div
          style={{ position: 'absolute', top: PAD.top, right: PAD.right, bottom: PAD.bottom, left: PAD.left }}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        >
          <svg width="100%" height="100%" viewBox="0 0 1000 100" preserveAspectRatio="none" style={{ display: 'block', overflow: 'visible' }}>
            {[0, 50, 100].map((gy) => (
              <line key={gy} x1={0} x2={1000} y1={gy} y2={gy} stroke="var(--mantine-color-default-border)" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" />
            ))}
            <path d={area} fill="var(--mantine-primary-color-light)" stroke="none" />
            <path d={line} fill="none" stroke="var(--mantine-primary-color-filled)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
            {h && <line x1={x(h.t)} x2={x(h.t)} y1={0} y2={100} stroke="var(--mantine-color-dimmed)" vectorEffect="non-scaling-stroke" />}
          </svg>
          {ticks.map((t) => (
            <span key={t} style={{ ...label, top: `calc(100% + 6px)`, left: `${x(t) / 10}%`, transform: 'translateX(-50%)' }}>
              {formatClock(t)}
            </span>
          ))}
          {h && (
            <Paper
              shadow="xs"
              withBorder
              px={6}
              py={2}
              style={{ position: 'absolute', top: 0, left: `${x(h.t) / 10}%`, transform: x(h.t) > 500 ? 'translateX(calc(-100% - 6px))' : 'translateX(6px)', pointerEvents: 'none' }}
            >
              <Text size="xs">{formatClock(h.t)}</Text>
              <Text size="xs" fw={600}>
                {t('chart.perSecond', { rate: formatRate(h.rate) })}
              </Text>
            </Paper>
          )}
        </div>
      </div>
    </Paper>
  );
});
