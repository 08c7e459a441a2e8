/**
 * One error shape for every failure: `{error:{code,message,requestId}}`. 4xx carry a reason a person can act on;
 * 5xx say only "internal error" (the detail goes to the log with the request id).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RequestValidationError } from './zod.js';

export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'config_invalid'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (why: string): ApiError => new ApiError(403, 'forbidden', why);

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/** Common error responses for the OpenAPI document. */
export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody } as const;

const FASTIFY_CODES: Record<number, ErrorCode> = { 400: 'invalid_request', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' };

function classify(err: FastifyError | Error): { status: number; code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof ApiError) return { status: err.statusCode, code: err.code, message: err.message, details: err.details };
  if (err instanceof RequestValidationError) return { status: 400, code: 'invalid_request', message: err.message };
  const status = (err as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, code: FASTIFY_CODES[status] ?? 'invalid_request', message: err.message };
  }
  return { status: 500, code: 'internal', message: 'internal error' };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const c = classify(err as FastifyError);
    if (c.status >= 500) request.log.error({ err, route: request.routeOptions.url }, 'request failed');
    const body = { error: { code: c.code, message: c.message, requestId: request.id, ...(c.details ? { details: c.details } : {}) } };
    return reply.code(c.status).type('application/json').send(JSON.stringify(body));
  });
  app.setNotFoundHandler((request, reply) => {
    const body = { error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, requestId: request.id } };
    return reply.code(404).type('application/json').send(JSON.stringify(body));
  });
}
