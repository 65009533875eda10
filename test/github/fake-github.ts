/**
 * A loopback imitation of the small part of GitHub's REST API that promotion and
 * monitoring use (repository, pull requests, issues and their comments, labels, check
 * runs, commit statuses, workflow dispatches).
 *
 * Every request is checked against GitHub's official OpenAPI description
 * (@octokit/openapi, api.github.com.json): the path and method must exist, path and
 * query parameters must match their schemas, and a JSON body must match the request
 * body schema. Whatever the real API would reject is answered like a rejection and
 * listed in `violations`, which the tests expect to stay empty.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  labels: string[];
}

export interface FakeIssue {
  /** Shares one sequence with pull request numbers, as on GitHub. */
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels: string[];
  /** Comment bodies, oldest first. */
  comments: string[];
}

export interface FakeDispatch {
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** The path as sent (percent-encoded, without the query). */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  authorization: string | undefined;
  operationId: string | null;
  /** The response status; 0 when the socket was destroyed (`fail({ reset: true })`). */
  status: number;
}

export interface Fault {
  /** Case-insensitive; any method when omitted. */
  method?: string;
  /** A string matches the request path exactly or the OpenAPI template (`/repos/{owner}/{repo}/pulls`); a RegExp is tested on the path. */
  path?: string | RegExp;
  /** Default 500 (ignored with `reset`). */
  status?: number;
  /** JSON body (a string is sent as is); default `{ message: <status text> }`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
}

export interface FakeGitHub {
  /** Base API URL, e.g. http://127.0.0.1:PORT (pass as baseUrl to Octokit). */
  url: string;
  owner: string;
  repo: string;
  requests: RecordedRequest[];
  /** One line per request the real API would reject (unknown path/method, bad path/query parameter, request body not matching the schema, missing required body). Tests assert this stays empty. */
  violations: string[];
  pulls: FakePull[];
  checkRuns: Array<{ name: string; head_sha: string; status?: string; conclusion?: string; output?: { title: string; summary: string; text?: string } }>;
  statuses: Array<{ sha: string; state: string; context?: string; description?: string; target_url?: string }>;
  /** Issues (not pull requests), in order of creation. */
  issues: FakeIssue[];
  /** Workflow dispatches accepted (204/200), in order. */
  dispatches: FakeDispatch[];
  /** Injects a fault for the next `times` (default 1) requests matching method/path: respond with status/body/headers, or (reset) destroy the socket. */
  fail(fault: Fault): void;
  /** Marks a PR merged and closed (the test fast-forwards the git side itself). */
  mergePull(number: number): void;
  /** Closes an issue as a person would (state_reason default `completed`). */
  closeIssue(number: number, reason?: 'completed' | 'not_planned'): void;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  token: string;
  /** The commit a branch points at (PR `head.sha`); null when unknown. */
  headSha?: (branch: string) => string | null;
  /** Answer check-run creation with 403, as GitHub does for a personal access token. */
  checkRunsForbidden?: boolean;
  /** Default `main`. */
  defaultBranch?: string;
  /**
   * Workflow files (`ct.yml`) and the inputs each declares under `workflow_dispatch`.
   * When given, a dispatch of another workflow answers 404 and undeclared inputs 422;
   * when omitted, every dispatch is accepted.
   */
  workflows?: Record<string, string[]>;
}

// ---------------------------------------------------------------------------
// The OpenAPI description: loaded, normalised and handed to Ajv once per process.

type JsonObject = Record<string, unknown>;

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  'x-multi-segment'?: boolean;
  $ref?: string;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  /** Segments without a parameter, then the length of the literal text: the more specific template wins. */
  literalSegments: number;
  literalChars: number;
  operations: Record<string, OperationObject>;
}

interface ParameterCheck {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  pointer: string;
}

interface OperationCheck {
  operationId: string | null;
  parameters: ParameterCheck[];
  /** Pointer to the JSON request body schema, when the operation takes one. */
  bodyPointer: string | null;
  bodyRequired: boolean;
}

interface Spec {
  doc: OpenApiDocument;
  ajv: Ajv;
  routes: Route[];
  validators: Map<string, ValidateFunction>;
  operations: Map<string, OperationCheck>;
}

const SPEC_PATH = new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Keywords that only annotate; they stay on a nullable schema's wrapper. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'externalDocs', 'default']);
/** Marks the wrapper and the `null` branch added for `nullable: true`, to drop their noise from error reports. */
const NULLABLE_MARK = 'x-fake-github-nullable';

let cachedSpec: Spec | undefined;

function loadSpec(): Spec {
  if (cachedSpec) return cachedSpec;
  const doc = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
  normalizeDocument(doc);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, verbose: true });
  ajv.addSchema(doc, 'github');
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const multiSegment = new Set<string>();
    for (const method of HTTP_METHODS) {
      for (const p of item[method]?.parameters ?? []) {
        const param = resolveRef<ParameterObject>(doc, p);
        if (param.in === 'path' && param['x-multi-segment'] === true) multiSegment.add(param.name);
      }
    }
    const names: string[] = [];
    let literalSegments = 0;
    let literalChars = 0;
    const source = template
      .split('/')
      .map((segment) => {
        if (!segment.includes('{')) {
          literalSegments += 1;
          literalChars += segment.length;
          return escapeRegExp(segment);
        }
        return segment
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) {
              literalChars += part.length;
              return escapeRegExp(part);
            }
            names.push(name);
            return multiSegment.has(name) ? '(.+)' : '([^/]+)';
          })
          .join('');
      })
      .join('/');
    routes.push({ template, regex: new RegExp(`^${source}$`), names, literalSegments, literalChars, operations: item });
  }
  routes.sort((a, b) => b.literalSegments - a.literalSegments || b.literalChars - a.literalChars);
  cachedSpec = { doc, ajv, routes, validators: new Map(), operations: new Map() };
  return cachedSpec;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/components/...`) in the document. */
function resolveRef<T>(doc: OpenApiDocument, value: unknown): T {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
    current = current.$ref
      .slice(2)
      .split('/')
      .map(unescapePointerToken)
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), doc);
  }
  return current as T;
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** An Ajv reference to a location in the document, e.g. `github#/paths/~1repos~1%7Bowner%7D/get`. */
function pointer(...tokens: Array<string | number>): string {
  return `github#/${tokens.map((t) => encodeURIComponent(escapePointerToken(String(t)))).join('/')}`;
}

/**
 * Rewrites OpenAPI 3.0's `nullable: true` into JSON Schema that Ajv understands:
 * `{ anyOf: [{ type: 'null' }, <the schema without nullable>] }`.
 *
 * Ajv 8 honours `nullable: true` only next to `type` (it adds "null" to the types);
 * with `oneOf`/`anyOf` and no `type` it refuses to compile ('"nullable" cannot be used
 * without "type"'), and next to an `enum` that does not list null it still rejects
 * null. GitHub's description uses all three forms, each meaning "null is accepted".
 */
function normalizeDocument(doc: OpenApiDocument): void {
  for (const schema of Object.values(doc.components.schemas ?? {})) normalizeSchema(schema);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'example' || key === 'examples') continue;
        if (key === 'schema') normalizeSchema(value);
        else visit(value);
      }
    }
  };
  visit(doc.paths);
  for (const [kind, entries] of Object.entries(doc.components)) if (kind !== 'schemas' && kind !== 'examples') visit(entries);
}

function normalizeSchema(schema: unknown): void {
  if (!isObject(schema)) return;
  for (const key of ['properties', 'patternProperties']) {
    const map = schema[key];
    if (isObject(map)) for (const sub of Object.values(map)) normalizeSchema(sub);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'oneOf', 'anyOf', 'allOf']) {
    const sub = schema[key];
    if (Array.isArray(sub)) for (const s of sub) normalizeSchema(s);
    else normalizeSchema(sub);
  }
  const nullable = schema.nullable;
  delete schema.nullable;
  if (nullable !== true) return;
  const inner: JsonObject = {};
  for (const key of Object.keys(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    inner[key] = schema[key];
    delete schema[key];
  }
  schema.anyOf = [{ type: 'null', [NULLABLE_MARK]: true }, inner];
  schema[NULLABLE_MARK] = true;
}

function validator(spec: Spec, ref: string): ValidateFunction {
  let validate = spec.validators.get(ref);
  if (!validate) {
    validate = spec.ajv.compile({ $ref: ref });
    spec.validators.set(ref, validate);
  }
  return validate;
}

function operationCheck(spec: Spec, template: string, method: string, operation: OperationObject): OperationCheck {
  const key = `${method} ${template}`;
  let check = spec.operations.get(key);
  if (check) return check;
  const parameters: ParameterCheck[] = [];
  (operation.parameters ?? []).forEach((p, i) => {
    const param = resolveRef<ParameterObject>(spec.doc, p);
    if (param.in !== 'path' && param.in !== 'query') return;
    const base = p.$ref ? `github${p.$ref}` : pointer('paths', template, method, 'parameters', i);
    parameters.push({ name: param.name, in: param.in, required: param.required === true, pointer: `${base}/schema` });
  });
  let bodyPointer: string | null = null;
  let bodyRequired = false;
  const requestBody = operation.requestBody;
  if (requestBody) {
    const resolved = resolveRef<NonNullable<OperationObject['requestBody']>>(spec.doc, requestBody);
    bodyRequired = resolved.required === true;
    if (resolved.content?.['application/json']?.schema !== undefined) {
      const base = requestBody.$ref ? `github${requestBody.$ref}` : pointer('paths', template, method, 'requestBody');
      bodyPointer = `${base}/${['content', 'application/json', 'schema'].map((t) => encodeURIComponent(escapePointerToken(t))).join('/')}`;
    }
  }
  check = { operationId: operation.operationId ?? null, parameters, bodyPointer, bodyRequired };
  spec.operations.set(key, check);
  return check;
}

type Match =
  | { kind: 'unknown-path' }
  | { kind: 'unknown-method'; template: string }
  | { kind: 'operation'; template: string; method: string; operation: OperationObject; pathParams: Record<string, string>; problems: string[] };

function matchRoute(spec: Spec, method: string, path: string): Match {
  const candidates = spec.routes.filter((r) => r.regex.test(path));
  if (candidates.length === 0) return { kind: 'unknown-path' };
  const lower = method.toLowerCase();
  const route = candidates.find((r) => r.operations[lower] !== undefined);
  if (!route) return { kind: 'unknown-method', template: candidates[0]!.template };
  const groups = route.regex.exec(path)!;
  const pathParams: Record<string, string> = {};
  const problems: string[] = [];
  route.names.forEach((name, i) => {
    const raw = groups[i + 1]!;
    try {
      pathParams[name] = decodeURIComponent(raw);
    } catch {
      pathParams[name] = raw;
      problems.push(`path parameter '${name}' is not valid percent-encoding: ${raw}`);
    }
  });
  return { kind: 'operation', template: route.template, method: lower, operation: route.operations[lower]!, pathParams, problems };
}

/** The strings a query or path value may stand for: itself, a number, a boolean, a list. */
function candidates(values: string[]): unknown[] {
  if (values.length > 1) return [values];
  const raw = values[0]!;
  const result: unknown[] = [raw];
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) result.push(Number(raw));
  if (raw === 'true' || raw === 'false') result.push(raw === 'true');
  if (raw.includes(',')) result.push(raw.split(','));
  return result;
}

function describeErrors(errors: ErrorObject[] | null | undefined, where: string): string {
  const all = errors ?? [];
  const meaningful = all.filter((e) => !(isObject(e.parentSchema) && e.parentSchema[NULLABLE_MARK] === true));
  const lines = (meaningful.length > 0 ? meaningful : all).map((e) => {
    const at = `${where}${e.instancePath}`;
    if (e.keyword === 'required') return `${at} must have required property '${String(e.params.missingProperty)}'`;
    if (e.keyword === 'additionalProperties') return `${at} must not have property '${String(e.params.additionalProperty)}'`;
    if (e.keyword === 'enum') return `${at} must be one of ${JSON.stringify(e.params.allowedValues)}`;
    return `${at} ${e.message ?? e.keyword}`;
  });
  return [...new Set(lines)].join('; ');
}

/** Checks parameters and body of a matched operation; returns the problems found. */
function checkRequest(spec: Spec, match: Extract<Match, { kind: 'operation' }>, url: URL, body: { text: string; json: unknown; invalid: boolean }): string[] {
  const check = operationCheck(spec, match.template, match.method, match.operation);
  const problems = [...match.problems];
  for (const param of check.parameters.filter((p) => p.in === 'path')) {
    const value = match.pathParams[param.name];
    if (value === undefined) continue;
    const validate = validator(spec, param.pointer);
    if (!candidates([value]).some((v) => validate(v))) problems.push(describeErrors(validate.errors, `path parameter '${param.name}'`));
  }
  const declared = new Map(check.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const key of new Set(url.searchParams.keys())) {
    const param = declared.get(key);
    if (!param) {
      problems.push(`unknown query parameter '${key}'`);
      continue;
    }
    const validate = validator(spec, param.pointer);
    if (!candidates(url.searchParams.getAll(key)).some((v) => validate(v))) problems.push(describeErrors(validate.errors, `query parameter '${key}'`));
  }
  for (const param of declared.values()) {
    if (param.required && !url.searchParams.has(param.name)) problems.push(`missing required query parameter '${param.name}'`);
  }
  if (check.bodyPointer !== null) {
    if (body.text.length === 0) {
      if (check.bodyRequired) problems.push('missing required request body');
    } else if (!body.invalid) {
      const validate = validator(spec, check.bodyPointer);
      if (!validate(body.json)) problems.push(describeErrors(validate.errors, 'body'));
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The fake server.

const DOCS = 'https://docs.github.com/rest';

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpReply extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

function validationFailed(errors: JsonObject[], documentation: string): HttpReply {
  return new HttpReply({ status: 422, body: { message: 'Validation Failed', errors, documentation_url: documentation } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'x-github-media-type': 'github.v3; format=json', ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    }
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const spec = loadSpec();
  const { owner, repo, token } = options;
  const defaultBranch = options.defaultBranch ?? 'main';
  const headSha = options.headSha ?? (() => null);
  const faults: Array<Fault & { remaining: number }> = [];
  const created = new Map<number, string>();
  const labelIds = new Map<string, number>();
  let nextId = 1000;
  let url = '';

  const timestamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const labelObject = (label: string): JsonObject => {
    let id = labelIds.get(label);
    if (id === undefined) {
      id = nextId++;
      labelIds.set(label, id);
    }
    return {
      id,
      node_id: `LA_${id}`,
      url: `${url}/repos/${owner}/${repo}/labels/${encodeURIComponent(label)}`,
      name: label,
      color: 'ededed',
      default: false,
      description: null,
    };
  };
  const pullObject = (pull: FakePull): JsonObject => {
    if (!created.has(pull.number)) created.set(pull.number, timestamp());
    const at = created.get(pull.number)!;
    const repository = { id: 1, name: repo, full_name: `${owner}/${repo}`, owner: { login: owner } };
    return {
      id: 100000 + pull.number,
      node_id: `PR_${pull.number}`,
      number: pull.number,
      url: `${url}/repos/${owner}/${repo}/pulls/${pull.number}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
      issue_url: `${url}/repos/${owner}/${repo}/issues/${pull.number}`,
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      user: { login: owner },
      labels: pull.labels.map(labelObject),
      draft: false,
      merged: pull.merged,
      merged_at: pull.merged ? at : null,
      closed_at: pull.state === 'closed' ? at : null,
      created_at: at,
      updated_at: at,
      head: { label: `${owner}:${pull.head}`, ref: pull.head, sha: headSha(pull.head), user: { login: owner }, repo: repository },
      base: { label: `${owner}:${pull.base}`, ref: pull.base, sha: headSha(pull.base), user: { login: owner }, repo: repository },
    };
  };
  const closedAt = new Map<number, string>();
  /** Id and time of each issue comment, by issue number (filled in for comments a test pushed itself). */
  const commentMeta = new Map<number, Array<{ id: number; at: string }>>();
  /** The repository owner as a full `simple-user`, the author of every issue and comment. */
  const userObject = (): JsonObject => {
    const api = `${url}/users/${owner}`;
    return {
      login: owner,
      id: 1,
      node_id: 'U_1',
      avatar_url: `https://avatars.githubusercontent.com/u/1`,
      gravatar_id: '',
      url: api,
      html_url: `https://github.com/${owner}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: 'User',
      site_admin: false,
    };
  };
  const issueApi = (number: number): string => `${url}/repos/${owner}/${repo}/issues/${number}`;
  /** An issue, or a pull request as the issues endpoints show it (with a `pull_request` key). */
  const issueObject = (item: FakeIssue | FakePull): JsonObject => {
    if (!created.has(item.number)) created.set(item.number, timestamp());
    const at = created.get(item.number)!;
    const isPull = 'head' in item;
    const htmlUrl = `https://github.com/${owner}/${repo}/${isPull ? 'pull' : 'issues'}/${item.number}`;
    return {
      id: (isPull ? 100000 : 200000) + item.number,
      node_id: `${isPull ? 'PR' : 'I'}_${item.number}`,
      number: item.number,
      url: issueApi(item.number),
      repository_url: `${url}/repos/${owner}/${repo}`,
      labels_url: `${issueApi(item.number)}/labels{/name}`,
      comments_url: `${issueApi(item.number)}/comments`,
      events_url: `${issueApi(item.number)}/events`,
      html_url: htmlUrl,
      title: item.title,
      body: item.body,
      state: item.state,
      state_reason: isPull ? null : item.state_reason,
      locked: false,
      user: userObject(),
      labels: item.labels.map(labelObject),
      assignee: null,
      assignees: [],
      milestone: null,
      comments: isPull ? 0 : item.comments.length,
      author_association: 'OWNER',
      created_at: at,
      updated_at: at,
      closed_at: item.state === 'closed' ? (closedAt.get(item.number) ?? at) : null,
      ...(isPull
        ? {
            pull_request: {
              url: `${url}/repos/${owner}/${repo}/pulls/${item.number}`,
              html_url: htmlUrl,
              diff_url: `${htmlUrl}.diff`,
              patch_url: `${htmlUrl}.patch`,
              merged_at: item.merged ? (closedAt.get(item.number) ?? at) : null,
            },
          }
        : {}),
    };
  };
  const comments = (issue: FakeIssue): Array<{ id: number; at: string; body: string }> => {
    const meta = commentMeta.get(issue.number) ?? [];
    commentMeta.set(issue.number, meta);
    while (meta.length < issue.comments.length) meta.push({ id: nextId++, at: timestamp() });
    return issue.comments.map((body, i) => ({ ...meta[i]!, body }));
  };
  const commentObject = (issue: FakeIssue, comment: { id: number; at: string; body: string }): JsonObject => ({
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${url}/repos/${owner}/${repo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: issueApi(issue.number),
    body: comment.body,
    user: userObject(),
    author_association: 'OWNER',
    created_at: comment.at,
    updated_at: comment.at,
  });
  /** Issues and pull requests share one sequence of numbers. */
  const nextNumber = (): number => [...fake.pulls, ...fake.issues].reduce((max, item) => Math.max(max, item.number), 0) + 1;
  const findIssue = (number: string | undefined, operation: string): FakeIssue => {
    const issue = fake.issues.find((i) => String(i.number) === number);
    if (issue) return issue;
    if (fake.pulls.some((p) => String(p.number) === number)) throw notImplemented(operation, '(on a pull request)');
    throw new HttpReply({ status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } });
  };
  const labelName = (label: unknown): string => (isObject(label) ? String(label.name) : String(label));
  const addLabelNames = (target: string[], labels: unknown): void => {
    for (const label of Array.isArray(labels) ? labels : []) {
      const name = labelName(label);
      if (!target.some((l) => l.toLowerCase() === name.toLowerCase())) target.push(name);
    }
  };
  /** GitHub's answer to an issue or comment body over 65,536 characters. */
  const bodyTooLong = (body: unknown, resource: string): void => {
    if (typeof body === 'string' && body.length > 65_536) {
      throw validationFailed(
        [{ resource, code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
        'https://docs.github.com/rest/issues',
      );
    }
  };
  /** One page of `items` (per_page, page) with GitHub's Link header to the others. */
  const paginated = (path: string, query: URLSearchParams, items: JsonObject[]): Reply => {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
    const page = Math.max(1, Number(query.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const link = (n: number, rel: string): void => {
      const next = new URLSearchParams(query);
      next.set('page', String(n));
      links.push(`<${url}${path}?${next.toString()}>; rel="${rel}"`);
    };
    if (page > 1) link(page - 1, 'prev');
    if (page < last) link(page + 1, 'next');
    if (page < last) link(last, 'last');
    if (page > 1) link(1, 'first');
    const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {};
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
  };
  const findPull = (number: string | undefined): FakePull => {
    const pull = fake.pulls.find((p) => String(p.number) === number);
    if (!pull) throw new HttpReply({ status: 404, body: { message: 'Not Found', documentation_url: DOCS } });
    return pull;
  };
  const duplicate = (head: string, base: string, except?: number): HttpReply | undefined => {
    if (!fake.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base && p.number !== except)) return undefined;
    return validationFailed(
      [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }],
      'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
    );
  };

  const notImplemented = (method: string, template: string): HttpReply => {
    fake.violations.push(`not implemented by the fake: ${method} ${template}`);
    return new HttpReply({ status: 501, body: { message: `fake GitHub: not implemented: ${method} ${template}` } });
  };

  /** The implemented operations: they get the checked request and answer or throw an HttpReply. */
  const handlers: Record<string, (params: Record<string, string>, query: URLSearchParams, body: JsonObject, violation: (line: string) => void) => Reply> = {
    'repos/get': () => ({
      status: 200,
      body: {
        id: 1,
        node_id: 'R_1',
        name: repo,
        full_name: `${owner}/${repo}`,
        owner: { login: owner },
        private: false,
        html_url: `https://github.com/${owner}/${repo}`,
        url: `${url}/repos/${owner}/${repo}`,
        default_branch: defaultBranch,
      },
    }),
    'pulls/list': (_params, query) => {
      const state = query.get('state') ?? 'open';
      let selected = fake.pulls.filter((p) => state === 'all' || p.state === state);
      const head = query.get('head');
      // GitHub silently ignores a head filter without the `owner:` prefix.
      if (head !== null && head.includes(':')) {
        const [headOwner, ...branch] = head.split(':');
        selected = headOwner!.toLowerCase() === owner.toLowerCase() ? selected.filter((p) => p.head === branch.join(':')) : [];
      }
      const base = query.get('base');
      if (base !== null) selected = selected.filter((p) => p.base === base);
      selected.sort((a, b) => b.number - a.number);
      if (query.get('direction') === 'asc') selected.reverse();
      return paginated(`/repos/${owner}/${repo}/pulls`, query, selected.map(pullObject));
    },
    'pulls/get': (params) => ({ status: 200, body: pullObject(findPull(params.pull_number)) }),
    'pulls/create': (_params, _query, body, violation) => {
      if (body.issue !== undefined) throw notImplemented('POST', '/repos/{owner}/{repo}/pulls (converting an issue)');
      if (typeof body.title !== 'string') {
        violation('body must have property title (required unless issue is given)');
        throw validationFailed(
          [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }],
          'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        );
      }
      let head = String(body.head);
      const colon = head.indexOf(':');
      if (colon >= 0) {
        if (head.slice(0, colon).toLowerCase() !== owner.toLowerCase()) {
          throw validationFailed(
            [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
            'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
          );
        }
        head = head.slice(colon + 1);
      }
      const base = String(body.base);
      const exists = duplicate(head, base);
      if (exists) throw exists;
      const number = nextNumber();
      const pull: FakePull = {
        number,
        head,
        base,
        title: body.title,
        body: typeof body.body === 'string' ? body.body : '',
        state: 'open',
        merged: false,
        labels: [],
      };
      fake.pulls.push(pull);
      return { status: 201, body: pullObject(pull), headers: { location: `${url}/repos/${owner}/${repo}/pulls/${number}` } };
    },
    'pulls/update': (params, _query, body) => {
      const pull = findPull(params.pull_number);
      if (body.state === 'open' && pull.state === 'closed') {
        if (pull.merged) {
          throw validationFailed(
            [
              {
                resource: 'PullRequest',
                code: 'custom',
                field: 'state',
                message: 'state cannot be changed. The pull request cannot be reopened because it has been merged.',
              },
            ],
            'https://docs.github.com/rest/pulls/pulls#update-a-pull-request',
          );
        }
        const exists = duplicate(pull.head, typeof body.base === 'string' ? body.base : pull.base, pull.number);
        if (exists) throw exists;
      }
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
      if (typeof body.base === 'string') pull.base = body.base;
      if (body.state === 'open' || body.state === 'closed') pull.state = body.state;
      return { status: 200, body: pullObject(pull) };
    },
    'issues/add-labels': (params, _query, body) => {
      const item = fake.issues.find((i) => String(i.number) === params.issue_number) ?? findPull(params.issue_number);
      addLabelNames(item.labels, body.labels);
      return { status: 200, body: item.labels.map(labelObject) };
    },
    'issues/list-for-repo': (_params, query) => {
      for (const filter of ['milestone', 'assignee', 'type', 'creator', 'mentioned', 'issue_field_values', 'since']) {
        if (query.has(filter)) throw notImplemented('GET', `/repos/{owner}/{repo}/issues?${filter}`);
      }
      const state = query.get('state') ?? 'open';
      const wanted = (query.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== '');
      const selected = [...fake.issues, ...fake.pulls].filter(
        (i) => (state === 'all' || i.state === state) && wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)),
      );
      selected.sort((a, b) => b.number - a.number);
      if (query.get('direction') === 'asc') selected.reverse();
      return paginated(`/repos/${owner}/${repo}/issues`, query, selected.map(issueObject));
    },
    'issues/get': (params) => {
      const pull = fake.pulls.find((p) => String(p.number) === params.issue_number);
      return { status: 200, body: issueObject(pull ?? findIssue(params.issue_number, 'GET /repos/{owner}/{repo}/issues/{issue_number}')) };
    },
    'issues/create': (_params, _query, body) => {
      bodyTooLong(body.body, 'Issue');
      const issue: FakeIssue = {
        number: nextNumber(),
        title: String(body.title),
        body: typeof body.body === 'string' ? body.body : '',
        state: 'open',
        state_reason: null,
        labels: [],
        comments: [],
      };
      addLabelNames(issue.labels, body.labels);
      fake.issues.push(issue);
      return { status: 201, body: issueObject(issue), headers: { location: issueApi(issue.number) } };
    },
    'issues/update': (params, _query, body) => {
      const issue = findIssue(params.issue_number, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}');
      bodyTooLong(body.body, 'Issue');
      if (typeof body.title === 'string' || typeof body.title === 'number') issue.title = String(body.title);
      if (body.body !== undefined) issue.body = typeof body.body === 'string' ? body.body : '';
      if (Array.isArray(body.labels)) {
        issue.labels = [];
        addLabelNames(issue.labels, body.labels);
      }
      // Like GitHub, state_reason counts only when the state changes.
      const reason = typeof body.state_reason === 'string' ? (body.state_reason as FakeIssue['state_reason']) : null;
      if (body.state === 'closed' && issue.state === 'open') {
        issue.state = 'closed';
        issue.state_reason = reason ?? 'completed';
        closedAt.set(issue.number, timestamp());
      } else if (body.state === 'open' && issue.state === 'closed') {
        issue.state = 'open';
        issue.state_reason = 'reopened';
        closedAt.delete(issue.number);
      }
      return { status: 200, body: issueObject(issue) };
    },
    'issues/create-comment': (params, _query, body) => {
      const issue = findIssue(params.issue_number, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
      bodyTooLong(body.body, 'IssueComment');
      issue.comments.push(String(body.body));
      const comment = comments(issue).at(-1)!;
      return { status: 201, body: commentObject(issue, comment), headers: { location: `${url}/repos/${owner}/${repo}/issues/comments/${comment.id}` } };
    },
    'issues/list-comments': (params, query) => {
      const issue = findIssue(params.issue_number, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments');
      const since = query.get('since');
      const selected = comments(issue).filter((c) => since === null || Date.parse(c.at) >= Date.parse(since) - 999);
      return paginated(
        `/repos/${owner}/${repo}/issues/${issue.number}/comments`,
        query,
        selected.map((c) => commentObject(issue, c)),
      );
    },
    'actions/create-workflow-dispatch': (params, _query, body) => {
      const workflow = params.workflow_id!;
      const inputs = isObject(body.inputs) ? body.inputs : {};
      const docs = 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event';
      if (options.workflows !== undefined) {
        const declared = options.workflows[workflow];
        if (declared === undefined) throw new HttpReply({ status: 404, body: { message: 'Not Found', documentation_url: docs, status: '404' } });
        const unexpected = Object.keys(inputs).filter((name) => !declared.includes(name));
        if (unexpected.length > 0)
          throw new HttpReply({
            status: 422,
            body: { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, documentation_url: docs, status: '422' },
          });
      }
      fake.dispatches.push({ workflow, ref: String(body.ref), inputs });
      if (body.return_run_details !== true) return { status: 204 };
      const id = nextId++;
      return {
        status: 200,
        body: {
          workflow_run_id: id,
          run_url: `${url}/repos/${owner}/${repo}/actions/runs/${id}`,
          html_url: `https://github.com/${owner}/${repo}/actions/runs/${id}`,
        },
      };
    },
    'checks/create': (_params, _query, body, violation) => {
      if (options.checkRunsForbidden) {
        throw new HttpReply({
          status: 403,
          body: {
            message: 'Resource not accessible by personal access token',
            documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
            status: '403',
          },
        });
      }
      const conclusion = typeof body.conclusion === 'string' ? body.conclusion : undefined;
      const status = conclusion !== undefined ? 'completed' : typeof body.status === 'string' ? body.status : 'queued';
      if (status === 'completed' && conclusion === undefined) {
        violation('body must have property conclusion when status is completed');
        throw validationFailed(
          [{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }],
          'https://docs.github.com/rest/checks/runs#create-a-check-run',
        );
      }
      const output = isObject(body.output) ? (body.output as { title: string; summary: string; text?: string }) : undefined;
      const run = { name: String(body.name), head_sha: String(body.head_sha), status, conclusion, output };
      fake.checkRuns.push(run);
      const id = nextId++;
      return {
        status: 201,
        body: {
          id,
          node_id: `CR_${id}`,
          name: run.name,
          head_sha: run.head_sha,
          external_id: typeof body.external_id === 'string' ? body.external_id : '',
          details_url: typeof body.details_url === 'string' ? body.details_url : null,
          status,
          conclusion: conclusion ?? null,
          started_at: timestamp(),
          completed_at: status === 'completed' ? timestamp() : null,
          output: {
            title: output?.title ?? null,
            summary: output?.summary ?? null,
            text: output?.text ?? null,
            annotations_count: 0,
            annotations_url: `${url}/repos/${owner}/${repo}/check-runs/${id}/annotations`,
          },
          url: `${url}/repos/${owner}/${repo}/check-runs/${id}`,
          html_url: `https://github.com/${owner}/${repo}/runs/${id}`,
        },
      };
    },
    'repos/create-commit-status': (params, _query, body) => {
      const context = typeof body.context === 'string' ? body.context : 'default';
      const description = typeof body.description === 'string' ? body.description : undefined;
      const targetUrl = typeof body.target_url === 'string' ? body.target_url : undefined;
      const status = { sha: params.sha!, state: String(body.state), context, description, target_url: targetUrl };
      fake.statuses.push(status);
      const id = nextId++;
      return {
        status: 201,
        body: {
          id,
          node_id: `SC_${id}`,
          url: `${url}/repos/${owner}/${repo}/statuses/${status.sha}`,
          state: status.state,
          description: description ?? null,
          target_url: targetUrl ?? null,
          context,
          created_at: timestamp(),
          updated_at: timestamp(),
          creator: { login: owner },
        },
      };
    },
  };

  const takeFault = (method: string, path: string, template: string | null): (Fault & { remaining: number }) | undefined => {
    const index = faults.findIndex((f) => {
      if (f.method !== undefined && f.method.toUpperCase() !== method) return false;
      if (f.path instanceof RegExp) return f.path.test(path);
      return f.path === undefined || f.path === path || f.path === template;
    });
    const fault = faults[index];
    if (fault && --fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const requestUrl = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const query: Record<string, string> = {};
    for (const [key, value] of requestUrl.searchParams) query[key] = value;
    let json: unknown = undefined;
    let invalid = false;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
        invalid = true;
      }
    }
    const record: RecordedRequest = {
      method,
      path: requestUrl.pathname,
      query,
      body: json,
      authorization: req.headers.authorization,
      operationId: null,
      status: 0,
    };
    fake.requests.push(record);
    const violation = (line: string): void => {
      fake.violations.push(`${method} ${requestUrl.pathname}: ${line}`);
    };
    const reply = (r: Reply): void => {
      record.status = r.status;
      send(res, r);
    };

    // What the OpenAPI description says about the request.
    const match = matchRoute(spec, method, requestUrl.pathname);
    let rejection: Reply | undefined;
    if (match.kind === 'unknown-path') {
      fake.violations.push(`unknown to the OpenAPI description: ${method} ${requestUrl.pathname}`);
      rejection = { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    } else if (match.kind === 'unknown-method') {
      fake.violations.push(`unknown to the OpenAPI description: ${method} ${match.template} (no such method)`);
      rejection = { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    } else {
      record.operationId = match.operation.operationId ?? null;
      const problems = checkRequest(spec, match, requestUrl, { text, json, invalid });
      if (invalid) {
        problems.unshift('request body is not valid JSON');
        rejection = { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
      }
      for (const problem of problems) violation(problem);
      if (problems.length > 0) {
        rejection ??= {
          status: 422,
          body: { message: `fake GitHub: request violates the OpenAPI description: ${problems.join('; ')}`, documentation_url: DOCS },
        };
      }
    }

    const fault = takeFault(method, requestUrl.pathname, match.kind === 'unknown-path' ? null : match.template);
    if (fault?.reset) {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault) {
      const status = fault.status ?? 500;
      reply({ status, body: fault.body ?? { message: STATUS_CODES[status] ?? 'Error' }, headers: fault.headers ?? {} });
      return;
    }

    const credentials = /^(token|bearer)\s+(.*)$/i.exec(req.headers.authorization ?? '');
    if (credentials?.[2]?.trim() !== token) {
      reply({ status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } });
      return;
    }
    if (rejection || match.kind !== 'operation') {
      reply(rejection ?? { status: 404, body: { message: 'Not Found' } });
      return;
    }
    const params = match.pathParams;
    if (
      params.owner !== undefined &&
      params.repo !== undefined &&
      (params.owner.toLowerCase() !== owner.toLowerCase() || params.repo.toLowerCase() !== repo.toLowerCase())
    ) {
      reply({ status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } });
      return;
    }
    const handler = record.operationId !== null ? handlers[record.operationId] : undefined;
    try {
      if (!handler) throw notImplemented(method, match.template);
      reply(handler(params, requestUrl.searchParams, isObject(json) ? json : {}, violation));
    } catch (error) {
      if (!(error instanceof HttpReply)) throw error;
      reply(error.reply);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      fake.violations.push(`fake GitHub internal error on ${req.method} ${req.url}: ${message}`);
      if (!res.headersSent) send(res, { status: 500, body: { message: `fake GitHub internal error: ${message}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGitHub = {
    url,
    owner,
    repo,
    requests: [],
    violations: [],
    pulls: [],
    checkRuns: [],
    statuses: [],
    issues: [],
    dispatches: [],
    fail(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    mergePull(number) {
      const pull = fake.pulls.find((p) => p.number === number);
      if (!pull) throw new Error(`fake GitHub: no pull request #${number}`);
      pull.merged = true;
      pull.state = 'closed';
      closedAt.set(number, timestamp());
    },
    closeIssue(number, reason = 'completed') {
      const issue = fake.issues.find((i) => i.number === number);
      if (!issue) throw new Error(`fake GitHub: no issue #${number}`);
      issue.state = 'closed';
      issue.state_reason = reason;
      closedAt.set(number, timestamp());
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

/** For the fake's own tests (schema compilation, GitHub's examples); not part of its API. */
export const _internals = { loadSpec, operationCheck, validator };

/**
 * The environment of a workflow step talking to `fake`: token and repository as GitHub
 * Actions sets them, the API on loopback, the job summary in `summary`.
 */
export function actionsEnvironment(fake: FakeGitHub, token: string, summary: string, runId = '4242'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: 'true',
    GITHUB_TOKEN: token,
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: runId,
    GITHUB_STEP_SUMMARY: summary,
  };
}
