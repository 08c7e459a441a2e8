/**
 * Checks the schema cannot express: references between sections, uniqueness, reachability.
 * Pure: takes the parsed config, returns issues with paths (the loader adds line:column).
 */
import type { CampaignConfig } from './schema/index.js';
import type { IssuePath } from './yaml-nodes.js';

export interface SemanticIssue {
  path: IssuePath;
  message: string;
}

export function validateSemantics(_cfg: CampaignConfig): SemanticIssue[] {
  return [];
}
