/**
 * The loaded config as the engine uses it: the validated YAML plus lookup tables, frozen.
 * A reload builds a new one and swaps the reference whole; calls in progress keep the one they started with.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Buyer, Campaign, CampaignConfig, Carrier, IvrFlow, Publisher, Target, Trunk } from './schema/index.js';
import type { PromptRef } from '../telephony/types.js';

export interface TargetEntry {
  buyer: Buyer;
  target: Target;
}

export interface DidEntry {
  campaign: Campaign;
  publisher: Publisher;
}

export interface LoadedConfig {
  readonly raw: CampaignConfig;
  /** Absolute path of the YAML file. */
  readonly sourcePath: string;
  /** sha256 of the file's bytes: logged on load/reload so operators know which version runs. */
  readonly digest: string;
  readonly carriers: readonly Carrier[];
  readonly dids: ReadonlyMap<string, DidEntry>;
  readonly campaigns: ReadonlyMap<string, Campaign>;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly buyers: ReadonlyMap<string, Buyer>;
  readonly targets: ReadonlyMap<string, TargetEntry>;
  readonly trunks: ReadonlyMap<string, Trunk>;
  readonly ivrFlows: ReadonlyMap<string, IvrFlow>;
  /** Prompt id -> absolute file path. */
  readonly prompts: ReadonlyMap<string, PromptRef>;
  readonly blockedNumbers: ReadonlySet<string>;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Build the lookup tables. Assumes the config already passed semantic validation
 * (references resolve, DIDs unique); see `validateSemantics`.
 */
export function buildModel(raw: CampaignConfig, sourcePath: string, digest: string): LoadedConfig {
  const baseDir = resolve(sourcePath, '..');
  const publishers = byId(raw.publishers);
  const dids = new Map<string, DidEntry>();
  for (const campaign of raw.campaigns) {
    for (const d of campaign.dids) {
      const publisher = publishers.get(d.publisher);
      if (publisher) dids.set(d.number, { campaign, publisher });
    }
  }
  const targets = new Map<string, TargetEntry>();
  for (const buyer of raw.buyers) for (const target of buyer.targets) targets.set(target.id, { buyer, target });
  const prompts = new Map<string, PromptRef>(
    raw.prompts.map((p) => [p.id, { id: p.id, file: isAbsolute(p.file) ? p.file : resolve(baseDir, p.file) }]),
  );
  deepFreeze(raw);
  return {
    raw,
    sourcePath,
    digest,
    carriers: raw.carriers,
    dids,
    campaigns: byId(raw.campaigns),
    publishers,
    buyers: byId(raw.buyers),
    targets,
    trunks: byId(raw.trunks),
    ivrFlows: byId(raw.ivr_flows),
    prompts,
    blockedNumbers: new Set(raw.blocklist.numbers),
  };
}
