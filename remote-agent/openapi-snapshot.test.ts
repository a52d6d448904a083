import type { OpenAPIV3 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractChanges } from './openapi-diff';
import { readSnapshot, servedDocument, snapshotVerdict } from './openapi-snapshot';

// The committed snapshot is the contract clients were generated from: the served document must equal it, and a
// change that would break those clients is refused unless the major version changes with it.

let served: OpenAPIV3.Document;
beforeAll(async () => {
  served = await servedDocument();
});

/** A deep copy of the served document, changed by `edit`: each test breaks or extends the contract once. */
function edited(edit: (document: OpenAPIV3.Document) => void): OpenAPIV3.Document {
  const copy = structuredClone(served);
  edit(copy);
  return copy;
}

/** The first operation of the document that has a JSON request body with properties, and its schema. */
function withBody(document: OpenAPIV3.Document) {
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item ?? {})) {
      const schema = (operation as OpenAPIV3.OperationObject).requestBody as
        | OpenAPIV3.RequestBodyObject
        | undefined;
      const body = schema?.content['application/json']?.schema as OpenAPIV3.SchemaObject | undefined;
      if (body?.properties) return { at: `${method.toUpperCase()} ${path}`, body };
    }
  throw new Error('No operation takes an object body.');
}

/** The first 200 JSON response whose schema has properties. */
function withResponse(document: OpenAPIV3.Document) {
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item ?? {})) {
      const ok = (operation as OpenAPIV3.OperationObject).responses?.['200'] as
        | OpenAPIV3.ResponseObject
        | undefined;
      const body = ok?.content?.['application/json']?.schema as OpenAPIV3.SchemaObject | undefined;
      if (body?.properties) return { at: `${method.toUpperCase()} ${path}`, body };
    }
  throw new Error('No operation answers an object.');
}

const firstOperation = (document: OpenAPIV3.Document) => {
  const [path, item] = Object.entries(document.paths)[0] ?? [];
  const [method, operation] = Object.entries(item ?? {})[0] ?? [];
  if (!path || !method) throw new Error('The document has no operation.');
  return { path, method, operation: operation as OpenAPIV3.OperationObject };
};

const breaking = (after: OpenAPIV3.Document) =>
  contractChanges(served, after).filter((change) => change.breaking);
const withVersion = (document: OpenAPIV3.Document, version: string) => ({
  ...document,
  info: { ...document.info, version },
});

describe('the OpenAPI snapshot', () => {
  it('is the document the agent serves (else the failure says whether to run the script or bump the major)', () => {
    const verdict = snapshotVerdict(readSnapshot(), served);
    expect(verdict.state, verdict.message).toBe('same');
  });

  it('finds nothing breaking between a document and itself', () => {
    expect(contractChanges(served, structuredClone(served))).toEqual([]);
  });

  it.each<[string, (document: OpenAPIV3.Document) => void]>([
    [
      'a removed operation',
      (document) => {
        const { path, method } = firstOperation(document);
        delete (document.paths[path] as Record<string, unknown>)[method];
      },
    ],
    [
      'a removed response',
      (document) => {
        const { operation } = firstOperation(document);
        const status = Object.keys(operation.responses).at(-1) ?? '';
        delete operation.responses[status];
      },
    ],
    [
      'a removed response property',
      (document) => {
        const { body } = withResponse(document);
        delete body.properties?.[Object.keys(body.properties ?? {})[0] ?? ''];
      },
    ],
    [
      'a new required request property',
      (document) => {
        const { body } = withBody(document);
        body.properties = { ...body.properties, newlyRequired: { type: 'string' } };
        body.required = [...(body.required ?? []), 'newlyRequired'];
      },
    ],
    [
      'a changed property type',
      (document) => {
        const { body } = withResponse(document);
        const [name] = Object.keys(body.properties ?? {});
        if (name && body.properties) body.properties[name] = { type: 'array', items: { type: 'string' } };
      },
    ],
    [
      'a renamed operationId',
      (document) => {
        firstOperation(document).operation.operationId = 'renamed';
      },
    ],
  ])('calls %s breaking and refuses it at the same major version', (_, edit) => {
    const after = edited(edit);
    expect(breaking(after)).not.toEqual([]);
    const verdict = snapshotVerdict(served, after);
    expect(verdict.state).toBe('breaking');
    expect(verdict.message).toContain('major version');
    // The same change under a new major is recorded like any other.
    const next = `${Number.parseInt(served.info.version, 10) + 1}.0.0`;
    expect(snapshotVerdict(served, withVersion(after, next))).toMatchObject({ state: 'changed' });
  });

  it.each<[string, (document: OpenAPIV3.Document) => void]>([
    [
      'a new optional request property',
      (document) => {
        const { body } = withBody(document);
        body.properties = { ...body.properties, optionalExtra: { type: 'string' } };
      },
    ],
    [
      'a new operation',
      (document) => {
        document.paths['/api/new'] = { get: structuredClone(firstOperation(document).operation) };
      },
    ],
    [
      'a new response property',
      (document) => {
        const { body } = withResponse(document);
        body.properties = { ...body.properties, extra: { type: 'string' } };
      },
    ],
    [
      'a new description',
      (document) => {
        firstOperation(document).operation.description = 'Now described.';
      },
    ],
  ])('records %s without a new major, after the snapshot script runs', (_, edit) => {
    const after = edited(edit);
    expect(breaking(after)).toEqual([]);
    const verdict = snapshotVerdict(served, after);
    expect(verdict.state).toBe('changed');
    expect(verdict.message).toContain('npm run openapi:snapshot');
  });

  it('ignores a new minor or patch version, but not a new major one', () => {
    const [majorVersion] = served.info.version.split('.');
    expect(snapshotVerdict(served, withVersion(served, `${majorVersion}.99.7`)).state).toBe('same');
    expect(snapshotVerdict(served, withVersion(served, `${Number(majorVersion) + 1}.0.0`)).state).toBe(
      'changed',
    );
  });
});
