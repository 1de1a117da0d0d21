/** Label values of one series. */
type Labels = Record<string, string>;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map(
      (name) =>
        `${name}="${String(labels[name]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
}

interface Family {
  help: string;
  kind: 'counter' | 'gauge' | 'histogram';
  series: Map<string, number>;
  histograms: Map<string, { buckets: number[]; sum: number; count: number }>;
}

/** A small Prometheus registry: counters, gauges and latency histograms in text exposition format 0.0.4. */
export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly collectors: Array<() => Promise<void>> = [];

  private family(name: string, kind: Family['kind'], help: string): Family {
    let family = this.families.get(name);
    if (!family) {
      family = { help, kind, series: new Map(), histograms: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  /** Adds `by` to a counter series. */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const { series } = this.family(name, 'counter', help);
    const key = seriesKey(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  /** Sets a gauge series. */
  set(name: string, help: string, labels: Labels, value: number): void {
    this.family(name, 'gauge', help).series.set(seriesKey(labels), value);
  }

  /** Records one observation (seconds) in a histogram series. */
  observe(name: string, help: string, labels: Labels, seconds: number): void {
    const { histograms } = this.family(name, 'histogram', help);
    const key = seriesKey(labels);
    let histogram = histograms.get(key);
    if (!histogram) {
      histogram = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      histograms.set(key, histogram);
    }
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index] = (histogram.buckets[index] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  }

  /** Registers a function that refreshes gauges just before each scrape. */
  collect(collector: () => Promise<void>): void {
    this.collectors.push(collector);
  }

  /** The current value of a counter or gauge series (0 when absent). */
  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.series.get(seriesKey(labels)) ?? 0;
  }

  /** Everything in Prometheus text format. */
  async render(): Promise<string> {
    await Promise.all(this.collectors.map((collector) => collector()));
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.kind}`);
      for (const [key, value] of family.series) lines.push(`${name}${key ? `{${key}}` : ''} ${value}`);
      for (const [key, histogram] of family.histograms) {
        const prefix = key ? `${key},` : '';
        BUCKETS.forEach((bound, index) => {
          lines.push(`${name}_bucket{${prefix}le="${bound}"} ${histogram.buckets[index] ?? 0}`);
        });
        lines.push(`${name}_bucket{${prefix}le="+Inf"} ${histogram.count}`);
        lines.push(`${name}_sum${key ? `{${key}}` : ''} ${histogram.sum}`);
        lines.push(`${name}_count${key ? `{${key}}` : ''} ${histogram.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
