/**
 * Prometheus metrics, one Registry per instance (never prom-client's global one, so tests and several apps in
 * one process do not share series). Every label value comes from a closed set or a config id: never a number.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'callroute_';

/** Config ids are bounded by the config; anything else (or missing) collapses into one value. */
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const idLabel = (v: string | null | undefined): string => (v && ID.test(v) ? v : 'none');

/** `486` -> `4xx`; no response at all -> `none`. */
export const sipClass = (code: number | null | undefined): string =>
  code === null || code === undefined || code < 100 || code > 699 ? 'none' : `${Math.floor(code / 100)}xx`;

/** What the engine exposes for gauges read at scrape time. */
export interface EngineProbe {
  activeCalls(): number;
  driverName: string;
  driverReady(): boolean;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, GC, event-loop lag). Default true. */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly calls: Counter<'campaign' | 'outcome'>;
  readonly rejected: Counter<'reason' | 'sip_code'>;
  readonly ivrOutcomes: Counter<'campaign' | 'result'>;
  readonly bridgeAttempts: Counter<'buyer' | 'result' | 'sip_class'>;
  readonly routingDecision: Histogram<'campaign'>;
  readonly auctionDuration: Histogram<'campaign'>;
  readonly auctionBids: Counter<'campaign' | 'valid'>;
  readonly billable: Counter<'campaign' | 'buyer'>;
  readonly revenue: Counter<'campaign' | 'buyer'>;
  readonly payout: Counter<'campaign' | 'publisher'>;
  readonly cost: Counter<'campaign'>;
  readonly storeWrite: Histogram<'op'>;
  readonly callsStarted: Counter<'campaign'>;
  #probe: EngineProbe | undefined;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
      new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers });

    this.callsStarted = counter('calls_started_total', 'Calls accepted into a campaign (row written)', ['campaign']);
    this.calls = counter('calls_total', 'Calls finished, by campaign and outcome', ['campaign', 'outcome']);
    this.rejected = counter('calls_rejected_total', 'INVITEs rejected before a call row was written', ['reason', 'sip_code']);
    this.ivrOutcomes = counter('ivr_outcomes_total', 'IVR screenings finished, by result', ['campaign', 'result']);
    this.bridgeAttempts = counter('bridge_attempts_total', 'Buyer legs dialled, by result and SIP status class', ['buyer', 'result', 'sip_class']);
    this.routingDecision = histogram('routing_decision_seconds', 'Time to decide which buyers to try', ['campaign'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
    this.auctionDuration = histogram('auction_duration_seconds', 'Ping-post auction duration', ['campaign'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5]);
    this.auctionBids = counter('auction_bids_total', 'Bids received in auctions, valid or not', ['campaign', 'valid']);
    this.billable = counter('billable_calls_total', 'Calls billed to a buyer', ['campaign', 'buyer']);
    this.revenue = counter('revenue_cents_total', 'Revenue billed, in cents', ['campaign', 'buyer']);
    this.payout = counter('payout_cents_total', 'Publisher payout owed, in cents', ['campaign', 'publisher']);
    this.cost = counter('cost_cents_total', 'Telephony cost, in cents', ['campaign']);
    this.storeWrite = histogram('store_write_seconds', 'Duration of call-record writes to SQLite', ['op'],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]);

    const probe = (): EngineProbe | undefined => this.#probe;
    new Gauge({
      name: `${PREFIX}active_calls`, help: 'Calls in progress', registers,
      collect() {
        const p = probe();
        if (p) this.set(p.activeCalls());
      },
    });
    new Gauge({
      name: `${PREFIX}driver_ready`, help: 'Telephony driver connected and able to take calls (1) or not (0)', labelNames: ['driver'], registers,
      collect() {
        const p = probe();
        if (p) this.set({ driver: p.driverName }, p.driverReady() ? 1 : 0);
      },
    });
    // Includes callroute_nodejs_eventloop_lag_seconds (and its percentiles), heap and RSS.
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** Wires the gauges read at scrape time to a running engine. */
  attach(probe: EngineProbe): void {
    this.#probe = probe;
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
