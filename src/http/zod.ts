/**
 * Zod on fastify: request validation, response serialisation and OpenAPI generation from the same schemas,
 * so the config and the API share one schema library and the docs cannot drift from what is enforced.
 */
import type { FastifySchema, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  /** Replies are checked at run time by `serializerCompiler` (and role views return loose records). */
  serializer: unknown;
}

/** A request part failed its schema: 400 with every problem named by its path. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly part: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${part}: ${issues.map(describeIssue).join('; ')}`);
  }
}

function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown or read-only field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  const path = i.path.map(String).join('.');
  return path ? `${path}: ${i.message}` : i.message;
}

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  return (data: unknown) => {
    const r = schema.safeParse(data);
    return r.success ? { value: r.data } : { error: new RequestValidationError(httpPart ?? 'request', r.error.issues) };
  };
};

/** A response that does not match its schema is a bug (500), never a silent leak: unknown keys are stripped. */
export class ResponseShapeError extends Error {}

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  return (data: unknown) => {
    const r = schema.safeParse(data);
    if (!r.success) throw new ResponseShapeError(`response does not match its schema: ${r.error.issues.map(describeIssue).join('; ')}`);
    return JSON.stringify(r.data);
  };
};

const isZod = (v: unknown): v is z.ZodType => v instanceof z.ZodType;

function toJson(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' });
}

/** @fastify/swagger `transform`: turns each route's zod schemas into JSON Schema for the OpenAPI document. */
export function openApiTransform({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (!schema) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    const s = schema[part];
    if (isZod(s)) out[part] = toJson(s, 'input');
  }
  if (schema.response && typeof schema.response === 'object') {
    const response: Record<string, unknown> = {};
    for (const [code, s] of Object.entries(schema.response as Record<string, unknown>)) {
      response[code] = isZod(s) ? toJson(s, 'output') : s;
    }
    out.response = response;
  }
  return { schema: out, url };
}
