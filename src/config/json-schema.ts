/** The JSON Schema of the campaign config, generated from the zod schema so the two can never drift. */
import { z } from 'zod';
import { campaignConfig } from './schema/index.js';

/** Draft 2020-12 schema of the YAML as written (io: 'input', so defaulted keys are optional). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(campaignConfig, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://callroute.local/callroute.schema.json',
    title: 'callroute campaign config',
    description: 'Carriers, trunks, prompts, IVR flows, publishers, buyers and campaigns of a callroute engine.',
  };
}

/** The text written to config/callroute.schema.json (stable: 2-space JSON, trailing newline). */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
