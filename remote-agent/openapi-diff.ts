import { isDeepStrictEqual } from 'node:util';

// What changed between two versions of the agent's OpenAPI document, as a client sees it: a breaking change is
// one after which a client generated from the older document can fail (a route, a response or a property gone,
// a new required input, another type); anything else only adds.

export interface ContractChange {
  breaking: boolean;
  /** Where, e.g. `PUT /api/connections/{domain} request body .secret`. */
  at: string;
  change: string;
}

type Node = Record<string, unknown>;
type Direction = 'request' | 'response';

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const componentRef = '#/components/schemas/';

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const nodeAt = (value: unknown, key: string): Node => {
  const child = isNode(value) ? value[key] : undefined;
  return isNode(child) ? child : {};
};
const listAt = (value: unknown, key: string): unknown[] => {
  const child = isNode(value) ? value[key] : undefined;
  return Array.isArray(child) ? child : [];
};

/** Compares two documents; `before` is the one clients were generated from. */
export function contractChanges(before: unknown, after: unknown): ContractChange[] {
  const changes: ContractChange[] = [];
  const note = (breaking: boolean, at: string, change: string) => changes.push({ breaking, at, change });
  const schemas = {
    before: nodeAt(nodeAt(before, 'components'), 'schemas'),
    after: nodeAt(nodeAt(after, 'components'), 'schemas'),
  };
  const compare = schemaComparer(schemas.before, schemas.after, note);

  const operations = (document: unknown) => {
    const found = new Map<string, Node>();
    for (const [path, item] of Object.entries(nodeAt(document, 'paths')))
      for (const method of methods)
        if (isNode(item) && isNode(item[method])) found.set(`${method.toUpperCase()} ${path}`, item[method]);
    return found;
  };
  const old = operations(before);
  const now = operations(after);
  for (const at of now.keys()) if (!old.has(at)) note(false, at, 'new operation');
  for (const [at, was] of old) {
    const is = now.get(at);
    if (!is) {
      note(true, at, 'operation removed');
      continue;
    }
    if (was.operationId !== is.operationId)
      note(true, at, `operationId ${String(was.operationId)} is now ${String(is.operationId)}`);
    const security = (operation: Node, document: unknown) =>
      operation.security ?? listAt(document, 'security');
    const [wasSecurity, isSecurity] = [security(was, before), security(is, after)];
    if (!isDeepStrictEqual(wasSecurity, isSecurity) && Array.isArray(isSecurity) && isSecurity.length > 0)
      note(true, at, 'asks for other credentials');
    compareParameters(was, is, at, note, compare);
    compareBody(was, is, at, note, compare);
    compareResponses(was, is, at, note, compare);
  }
  return changes;
}

type Note = (breaking: boolean, at: string, change: string) => void;
type Compare = (was: unknown, is: unknown, direction: Direction, at: string) => void;

function compareParameters(was: Node, is: Node, at: string, note: Note, compare: Compare) {
  const byKey = (operation: Node) =>
    new Map(
      listAt(operation, 'parameters')
        .filter(isNode)
        .map((parameter) => [`${parameter.in} ${parameter.name}`, parameter]),
    );
  const [old, now] = [byKey(was), byKey(is)];
  for (const [key, parameter] of now) {
    const before = old.get(key);
    if (!before)
      note(
        parameter.required === true,
        `${at} ${key}`,
        parameter.required ? 'new required parameter' : 'new parameter',
      );
    else if (parameter.required === true && before.required !== true)
      note(true, `${at} ${key}`, 'parameter now required');
  }
  for (const [key, parameter] of old) {
    const after = now.get(key);
    if (!after) note(true, `${at} ${key}`, 'parameter removed');
    else compare(parameter.schema, after.schema, 'request', `${at} ${key}`);
  }
}

function compareBody(was: Node, is: Node, at: string, note: Note, compare: Compare) {
  const [old, now] = [was.requestBody, is.requestBody];
  const where = `${at} request body`;
  if (!isNode(old)) {
    if (isNode(now)) note(now.required === true, where, now.required ? 'now required' : 'new optional body');
    return;
  }
  if (!isNode(now)) return note(true, where, 'no longer taken');
  if (now.required === true && old.required !== true) note(true, where, 'now required');
  const content = nodeAt(now, 'content');
  for (const [type, media] of Object.entries(nodeAt(old, 'content'))) {
    if (!isNode(content[type])) note(true, `${where} ${type}`, 'media type no longer taken');
    else compare(nodeAt(media, 'schema'), nodeAt(content[type], 'schema'), 'request', where);
  }
}

function compareResponses(was: Node, is: Node, at: string, note: Note, compare: Compare) {
  const now = nodeAt(is, 'responses');
  const old = nodeAt(was, 'responses');
  for (const status of Object.keys(now)) if (!(status in old)) note(false, `${at} ${status}`, 'new response');
  for (const [status, response] of Object.entries(old)) {
    const where = `${at} ${status}`;
    if (!isNode(now[status])) {
      note(true, where, 'response removed');
      continue;
    }
    const content = nodeAt(now[status], 'content');
    for (const [type, media] of Object.entries(nodeAt(response, 'content'))) {
      if (!isNode(content[type])) note(true, `${where} ${type}`, 'media type removed');
      else compare(nodeAt(media, 'schema'), nodeAt(content[type], 'schema'), 'response', where);
    }
  }
}

/** Limits whose tightening refuses requests that were valid: [keyword, whether a larger value is tighter]. */
const limits = [
  ['minLength', true],
  ['maxLength', false],
  ['minimum', true],
  ['maximum', false],
  ['minItems', true],
  ['maxItems', false],
] as const;

const typeOf = (schema: Node) =>
  typeof schema.type === 'string'
    ? schema.type
    : (['anyOf', 'oneOf', 'allOf'].find((key) => Array.isArray(schema[key])) ?? 'any');

function schemaComparer(old: Node, now: Node, note: Note): Compare {
  const resolve = (schema: unknown, components: Node, seen = new Set<string>()): Node => {
    if (!isNode(schema)) return {};
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(componentRef) || seen.has(ref)) return schema;
    return resolve(components[ref.slice(componentRef.length)], components, seen.add(ref));
  };
  /** Components already compared, by direction: each is reported once, and one that refers to itself ends. */
  const visited = new Set<string>();

  const compare: Compare = (wasRaw, isRaw, direction, place) => {
    let at = place;
    const refs = [wasRaw, isRaw].map((schema) => (isNode(schema) ? schema.$ref : undefined));
    if (refs.some((ref) => typeof ref === 'string')) {
      const pair = `${direction} ${String(refs[0])} ${String(refs[1])}`;
      if (visited.has(pair)) return;
      visited.add(pair);
      // Reported once for every use: named by the component rather than by the first place that uses it.
      at = `${String(refs[1] ?? refs[0])} (${direction})`;
    }
    const was = resolve(wasRaw, old);
    const is = resolve(isRaw, now);
    const [wasType, isType] = [typeOf(was), typeOf(is)];
    // From any type to one is narrower: it refuses requests, and tells a client reading responses more.
    if (wasType !== isType && (wasType !== 'any' || direction === 'request'))
      return note(true, at, `type ${wasType} is now ${isType}`);
    if (was.format !== is.format)
      note(true, at, `format ${String(was.format ?? 'none')} is now ${String(is.format ?? 'none')}`);
    if (direction === 'response' && is.nullable === true && was.nullable !== true)
      note(true, at, 'may now be null');
    if (direction === 'request' && was.nullable === true && is.nullable !== true)
      note(true, at, 'no longer takes null');
    compareEnums(was, is, direction, at, note);
    if (direction === 'request') {
      for (const [keyword, largerIsTighter] of limits) {
        const [a, b] = [was[keyword], is[keyword]];
        if (typeof b !== 'number') continue;
        if (typeof a !== 'number' || (largerIsTighter ? b > a : b < a))
          note(true, at, `${keyword} is now ${b}`);
      }
      if (is.pattern !== undefined && is.pattern !== was.pattern) note(true, at, 'pattern changed');
    }
    compareProperties(was, is, direction, at, note, compare);
    if (isNode(was.items) || isNode(is.items)) compare(was.items, is.items, direction, `${at}[]`);
    if (isNode(was.additionalProperties) && isNode(is.additionalProperties))
      compare(was.additionalProperties, is.additionalProperties, direction, `${at}.*`);
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const [a, b] = [listAt(was, key), listAt(is, key)];
      if (a.length !== b.length) note(true, at, `${key} has ${b.length} alternatives instead of ${a.length}`);
      else
        for (const [index, branch] of a.entries())
          compare(branch, b[index], direction, `${at} ${key}[${index}]`);
    }
  };
  return compare;
}

function compareEnums(was: Node, is: Node, direction: Direction, at: string, note: Note) {
  const [a, b] = [was.enum, is.enum];
  if (!Array.isArray(a) && !Array.isArray(b)) return;
  if (direction === 'request') {
    // Fewer accepted values refuse what a client may send.
    if (Array.isArray(b)) {
      const refused = Array.isArray(a) ? a.filter((value) => !b.includes(value)) : ['any other value'];
      if (refused.length > 0) note(true, at, `no longer takes ${refused.map(String).join(', ')}`);
    }
  } else if (Array.isArray(a)) {
    // More possible values surprise a client that handles each one.
    const added = Array.isArray(b) ? b.filter((value) => !a.includes(value)) : ['any value'];
    if (added.length > 0) note(true, at, `may now be ${added.map(String).join(', ')}`);
  }
}

function compareProperties(
  was: Node,
  is: Node,
  direction: Direction,
  at: string,
  note: Note,
  compare: Compare,
) {
  const [old, now] = [nodeAt(was, 'properties'), nodeAt(is, 'properties')];
  const required = (schema: Node) => new Set(listAt(schema, 'required').map(String));
  const [wasRequired, isRequired] = [required(was), required(is)];
  for (const name of Object.keys(now)) {
    if (name in old) continue;
    const breaking = direction === 'request' && isRequired.has(name);
    note(breaking, `${at}.${name}`, breaking ? 'new required property' : 'new property');
  }
  for (const [name, schema] of Object.entries(old)) {
    const where = `${at}.${name}`;
    if (!(name in now)) {
      note(true, where, 'property removed');
      continue;
    }
    if (direction === 'request' && isRequired.has(name) && !wasRequired.has(name))
      note(true, where, 'now required');
    if (direction === 'response' && wasRequired.has(name) && !isRequired.has(name))
      note(true, where, 'no longer always present');
    compare(schema, now[name], direction, where);
  }
}
