import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks requests against GitHub's published OpenAPI description (`@octokit/openapi`,
 * `generated/api.github.com.deref.json`): the operation exists for the method and path, path and query
 * parameters are known and of the right type, and a JSON body validates against the operation's request
 * schema (Ajv, formats from ajv-formats). GitHub silently ignores an unknown query parameter; here it is
 * an error, because it is always a mistake in the caller (`per-page`, a parameter of another endpoint).
 *
 * The description (~70 MB) is parsed once per test file, on first use, and only the request side and
 * the example responses are kept; each schema is compiled the first time a request needs it.
 */

/** A request as it went over the wire. */
export interface ApiRequest {
  method: string;
  /** Path and query as sent, e.g. `/repos/o/r/compare/a...b?per_page=100` (percent-encoded). */
  path: string;
  /** The raw body, when there was one. */
  body?: string | undefined;
}

/** The documented operation a request resolved to. */
export interface Operation {
  /** e.g. `checks/create`. */
  operationId: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/check-runs`. */
  template: string;
  /** Decoded path parameter values by name. */
  pathParams: Record<string, string>;
}

/**
 * The verdict on one request. `status` is what GitHub would answer a rejected request with: 404 for an
 * operation that does not exist, 422 for bad parameters or body.
 */
export type RequestVerdict =
  | { ok: true; operation: Operation }
  | { ok: false; status: 404 | 422; operation?: Operation; errors: string[] };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

type Schema = Record<string, unknown>;

/** An operation as the description writes it (the parts these helpers type). */
export interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<
    string,
    { content?: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> }
  >;
}

/** What the checks need of an operation; the response schemas (most of the 70 MB) are dropped. */
interface SlimOperation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: OperationObject['requestBody'];
  /** The first documented JSON example response, by status. */
  examples: Record<string, unknown>;
}

interface Route {
  template: string;
  operation: SlimOperation;
  /** Every parameter matches one segment. */
  exact: RegExp;
  /** The trailing `{path}`, `{ref}` or `{basehead}` may span slashes (sent unencoded by raw clients). */
  greedy: RegExp | undefined;
  paramNames: string[];
  /**
   * Templates whose parameters are whole segments win (`compare/{basehead}` over the older
   * `compare/{base}...{head}`), then more literal characters (`/check-runs/{id}` over `/{path}`).
   */
  rank: number;
}

/** Trailing parameters that hold slash-separated values. */
const SLASHED_PARAMS = new Set(['path', 'ref', 'basehead']);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The parsed description (the parts these helpers type). */
export interface Description {
  paths: Record<string, Partial<Record<string, OperationObject>>>;
}

let description: Description | undefined;
let operations: Map<string, Map<string, SlimOperation>> | undefined;
let routes: Map<string, Route[]> | undefined;
let ajv: Ajv | undefined;
const validators = new WeakMap<Schema, ValidateFunction>();

/**
 * Every operation by path template and upper-case method. The description is parsed once per test file
 * and only what the checks use is kept, so the rest of the parse can be collected.
 */
function operationTable(): Map<string, Map<string, SlimOperation>> {
  if (operations) return operations;
  operations = new Map();
  for (const [template, item] of Object.entries((description ?? readDescription()).paths)) {
    const byMethod = new Map<string, SlimOperation>();
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const examples: Record<string, unknown> = {};
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = response.content?.['application/json'];
        const example = content?.examples ? Object.values(content.examples)[0]?.value : content?.example;
        if (example !== undefined) examples[status] = example;
      }
      byMethod.set(method.toUpperCase(), {
        operationId: operation.operationId,
        parameters: operation.parameters ?? [],
        requestBody: operation.requestBody,
        examples,
      });
    }
    operations.set(template, byMethod);
  }
  return operations;
}

function readDescription(): Description {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.deref.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Description;
}

/**
 * The whole description, response schemas included, parsed once per test file and kept (~200 MB of
 * heap): only for what the request checks do not cover. Prefer `validateResponse` and `openapiExample`.
 */
export function openapiDescription(): Description {
  description ??= readDescription();
  return description;
}

function routeTable(): Map<string, Route[]> {
  if (routes) return routes;
  routes = new Map();
  for (const [template, byMethod] of operationTable()) {
    for (const [method, operation] of byMethod) {
      const paramNames: string[] = [];
      let exact = '';
      let literalLength = 0;
      for (const part of template.split(/(\{[^}]{1,100}\})/)) {
        if (part.startsWith('{') && part.endsWith('}')) {
          paramNames.push(part.slice(1, -1));
          exact += '([^/]+)';
        } else {
          literalLength += part.length;
          exact += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }
      }
      const trailing = /\{([a-z_]{1,40})\}$/.exec(template)?.[1];
      const greedy =
        trailing && SLASHED_PARAMS.has(trailing)
          ? new RegExp(`^${exact.slice(0, -'([^/]+)'.length)}(.+)$`)
          : undefined;
      const list = routes.get(method) ?? [];
      list.push({
        template,
        operation,
        exact: new RegExp(`^${exact}$`),
        greedy,
        paramNames,
        rank: (/[^/]\{|\}[^/]/.test(template) ? 0 : 100_000) + literalLength,
      });
      routes.set(method, list);
    }
  }
  for (const list of routes.values()) list.sort((a, b) => b.rank - a.rank);
  return routes;
}

function compile(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
      addFormats.default(ajv);
    }
    validate = ajv.compile(toJsonSchema(schema) as Schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes a `null` type (and a `null` enum member),
 * or `anyOf: [schema, null]` when there is no single `type`; Ajv cannot do this by itself. Returns a copy.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // `enum`, `example` and `default` hold values; `properties` holds names: none is a schema keyword.
    if (key === 'enum' || key === 'example' || key === 'examples' || key === 'default') out[key] = value;
    else if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]),
      );
    } else if (key !== 'nullable') out[key] = toJsonSchema(value);
  }
  if ((node as Schema).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/**
 * GitHub's pagination `Link` headers often point at `/repositories/{id}/…`, an undocumented alias of
 * `/repos/{owner}/{repo}/…`; such paths are checked as the `/repos/` operation they stand for.
 */
function canonicalPath(pathname: string): string {
  const alias = /^\/repositories\/\d{1,20}(\/.{1,4096})$/.exec(pathname);
  return alias ? `/repos/{owner}/{repo}${alias[1]}` : pathname;
}

/** Finds the documented operation for a method and a path (no query), or `undefined`. */
export function findOperation(method: string, pathname: string): Operation | undefined {
  const found = findRoute(method, canonicalPath(pathname));
  if (!found) return undefined;
  return {
    operationId: found.route.operation.operationId,
    method: method.toUpperCase(),
    template: found.route.template,
    pathParams: found.pathParams,
  };
}

function findRoute(
  method: string,
  pathname: string,
): { route: Route; pathParams: Record<string, string> } | undefined {
  const list = routeTable().get(method.toUpperCase()) ?? [];
  for (const pattern of ['exact', 'greedy'] as const) {
    for (const route of list) {
      const match = route[pattern]?.exec(pathname);
      if (!match) continue;
      const pathParams: Record<string, string> = {};
      route.paramNames.forEach((name, i) => {
        pathParams[name] = safeDecode(match[i + 1]!);
      });
      return { route, pathParams };
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Validates one request against the description.
 *
 * @example
 * validateRequest({ method: 'PATCH', path: '/repos/o/r/check-runs/4', body: '{"conclusion":"bad"}' })
 * // → { ok: false, status: 422, errors: ['body/conclusion must be one of: action_required, …'] }
 */
export function validateRequest(request: ApiRequest): RequestVerdict {
  const url = new URL(request.path, 'https://api.github.com');
  const found = findRoute(request.method, canonicalPath(url.pathname));
  if (!found) {
    return {
      ok: false,
      status: 404,
      errors: [
        `no operation ${request.method.toUpperCase()} ${url.pathname} in GitHub's REST API description`,
      ],
    };
  }
  const { route, pathParams } = found;
  const operation: Operation = {
    operationId: route.operation.operationId,
    method: request.method.toUpperCase(),
    template: route.template,
    pathParams,
  };
  const parameters = route.operation.parameters;
  const errors = [
    ...checkPathParams(parameters, pathParams),
    ...checkQuery(parameters, url.searchParams),
    ...checkBody(route.operation, request.body),
  ];
  if (errors.length > 0) return { ok: false, status: 422, operation, errors };
  return { ok: true, operation };
}

function checkPathParams(parameters: readonly Parameter[], values: Record<string, string>): string[] {
  const errors: string[] = [];
  for (const [name, raw] of Object.entries(values)) {
    const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    if (!parameter?.schema) continue;
    errors.push(...checkValue(`path parameter ${name}`, parameter.schema, [raw]));
  }
  return errors;
}

function checkQuery(parameters: readonly Parameter[], query: URLSearchParams): string[] {
  const errors: string[] = [];
  const names = new Set(query.keys());
  for (const name of names) {
    const bare = name.endsWith('[]') ? name.slice(0, -2) : name;
    const parameter = parameters.find((p) => p.in === 'query' && p.name === bare);
    if (!parameter) {
      const known = parameters.filter((p) => p.in === 'query').map((p) => p.name);
      errors.push(`unknown query parameter ${name} (known: ${known.join(', ') || 'none'})`);
      continue;
    }
    if (parameter.schema)
      errors.push(...checkValue(`query parameter ${name}`, parameter.schema, query.getAll(name)));
  }
  for (const parameter of parameters) {
    if (parameter.in === 'query' && parameter.required && !names.has(parameter.name)) {
      errors.push(`missing required query parameter ${parameter.name}`);
    }
  }
  return errors;
}

/** Coerces text values to the schema's type (as GitHub's router does) and validates them. */
function checkValue(label: string, schema: Schema, raw: readonly string[]): string[] {
  const value =
    schema.type === 'array'
      ? raw.flatMap((v) => v.split(',')).map((v) => coerce(schema.items as Schema, v))
      : coerce(schema, raw[raw.length - 1]!);
  const validate = compile(schema);
  if (validate(value)) return [];
  return formatErrors(label, validate.errors);
}

function coerce(schema: Schema | undefined, text: string): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d{1,20}(?:\.\d{1,20})?$/.test(text))
    return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function checkBody(operation: SlimOperation, body: string | undefined): string[] {
  const present = body !== undefined && body.trim() !== '';
  const requestBody = operation.requestBody;
  if (!requestBody) {
    if (present && body.trim() !== '{}') return ['the operation takes no request body, but one was sent'];
    return [];
  }
  const schema = requestBody.content['application/json']?.schema;
  if (!schema) return [];
  let value: unknown = {};
  if (present) {
    try {
      value = JSON.parse(body);
    } catch {
      return ['the request body is not JSON'];
    }
  } else if (!requestBody.required) {
    return [];
  }
  const validate = compile(schema);
  if (validate(value)) return [];
  return formatErrors('body', validate.errors);
}

function formatErrors(label: string, errors: ErrorObject[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const error of errors ?? []) {
    const where = `${label}${error.instancePath}`;
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    if (allowed) out.add(`${where} must be one of: ${allowed.join(', ')}`);
    else if (extra) out.add(`${where} has unknown property ${extra}`);
    else out.add(`${where} ${error.message ?? 'is invalid'}`);
  }
  return [...out];
}

/**
 * The documented example response of an operation (a deep copy), for building mock replies in the shape
 * GitHub documents. Throws when the operation or the example does not exist.
 *
 * @example openapiExample('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}')
 */
export function openapiExample<T = Record<string, unknown>>(
  method: string,
  template: string,
  status = '200',
): T {
  const operation = operationTable().get(template)?.get(method.toUpperCase());
  if (!operation) throw new Error(`no operation ${method} ${template}`);
  const example = operation.examples[status];
  if (example === undefined) throw new Error(`no ${status} example for ${method} ${template}`);
  return structuredClone(example) as T;
}

/**
 * Checks a response body against the schema GitHub documents for that operation and status; returns
 * the problems (empty when it fits). For stand-ins and hand-written mock replies.
 *
 * @example expect(validateResponse('GET', '/repos/o/r/pulls/1/files', 200, body)).toEqual([])
 */
export function validateResponse(method: string, path: string, status: number, data: unknown): string[] {
  const url = new URL(path, 'https://api.github.com');
  const found = findRoute(method, canonicalPath(url.pathname));
  if (!found)
    return [`no operation ${method.toUpperCase()} ${url.pathname} in GitHub's REST API description`];
  const item = openapiDescription().paths[found.route.template]?.[method.toLowerCase()];
  const schema = item?.responses[String(status)]?.content?.['application/json'] as
    | { schema?: Schema }
    | undefined;
  if (!schema?.schema)
    return [`no documented JSON response ${status} for ${method.toUpperCase()} ${found.route.template}`];
  const validate = compile(schema.schema);
  if (validate(data)) return [];
  return formatErrors('response', validate.errors);
}
