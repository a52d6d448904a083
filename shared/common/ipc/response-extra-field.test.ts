import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppErrorSchema } from '../errors/app-error';
import { channelMap } from './channel-map';
import { eventMap } from './event-map';

// The router validates every response against its channel's schema, so a secret a handler lets slip into a
// response (an extra `password` beside the declared fields) must fail that validation. That holds only if every
// object a response can contain, at any depth and in every branch, refuses keys it does not declare, and no
// part of it accepts any key (a record of strings) or any value. Walked over the whole channel map, so a
// channel added later is checked without anyone remembering to.

/** A place in a schema where an undeclared `password` could ride along, or a kind of schema this walk cannot judge. */
interface Hole {
  path: string;
  why: string;
}

/** What the walk found: how many objects it parsed (for a sanity check) and the holes. */
interface Walk {
  objects: number;
  holes: Hole[];
}

const leak = { password: 'Pa55word!' };

/** Whether a parse of `value` by `schema` fails with the extra `password` named as unrecognised at the top. */
function refusesPassword(schema: z.ZodType, value: unknown): boolean {
  const parsed = schema.safeParse(value);
  return (
    !parsed.success &&
    parsed.error.issues.some(
      (issue) =>
        issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys.includes('password'),
    )
  );
}

function walk(schema: z.ZodType, path: string, into: Walk, seen: Set<z.ZodType>): Walk {
  if (seen.has(schema)) return into;
  seen.add(schema);
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const inner = (key: string) => def[key] as z.ZodType;
  switch (def.type) {
    case 'object': {
      into.objects += 1;
      // Parsed, not inspected: whatever makes the object strict (strictObject, .strict(), catchall never) counts,
      // and only if it really refuses. The missing declared fields add issues of their own; that is fine.
      if (!refusesPassword(schema, leak))
        into.holes.push({ path, why: 'an object that takes undeclared keys' });
      for (const [key, value] of Object.entries((schema as z.ZodObject).shape as Record<string, z.ZodType>))
        walk(value, `${path}.${key}`, into, seen);
      return into;
    }
    case 'record': {
      const keyType = inner('keyType');
      if (keyType.safeParse('password').success)
        into.holes.push({ path, why: 'a record whose keys may be "password"' });
      return walk(inner('valueType'), `${path}[*]`, into, seen);
    }
    case 'array':
      return walk(inner('element'), `${path}[]`, into, seen);
    case 'union':
      (def.options as z.ZodType[]).forEach((option, index) => {
        walk(option, `${path}|${index}`, into, seen);
      });
      return into;
    case 'intersection':
      walk(inner('left'), `${path}&0`, into, seen);
      return walk(inner('right'), `${path}&1`, into, seen);
    case 'tuple':
      (def.items as z.ZodType[]).forEach((item, index) => {
        walk(item, `${path}[${index}]`, into, seen);
      });
      return def.rest ? walk(inner('rest'), `${path}[...]`, into, seen) : into;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return walk(inner('innerType'), path, into, seen);
    case 'lazy':
      return walk((def.getter as () => z.ZodType)(), path, into, seen);
    case 'pipe': {
      // A preprocess step could drop or rename keys before the strict part sees them: not judged here.
      if (inner('in')._zod.def.type === 'transform')
        into.holes.push({ path, why: 'a preprocessed value (judge by hand)' });
      else walk(inner('in'), path, into, seen);
      return inner('out')._zod.def.type === 'transform' ? into : walk(inner('out'), path, into, seen);
    }
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'bigint':
    case 'null':
    case 'undefined':
    case 'void':
    case 'never':
    case 'date':
    case 'enum':
    case 'literal':
    case 'nan':
    case 'template_literal':
      return into;
    default:
      // any, unknown, custom, map, set, file, function, promise...: a value this walk cannot vouch for.
      into.holes.push({ path, why: `a ${def.type} schema, which may hold anything` });
      return into;
  }
}

const walked = (schema: z.ZodType, path: string) => walk(schema, path, { objects: 0, holes: [] }, new Set());

describe('every IPC response schema refuses an extra password field', () => {
  it.each(Object.entries(channelMap))('%s', (channel, contract) => {
    const { objects, holes } = walked(contract.response, channel);
    expect(holes).toEqual([]);
    expect(objects).toBeGreaterThan(0);
    // The top level, as the router parses it, with only the extra field: refused for that field.
    const top = contract.response.safeParse(leak);
    expect(top.success).toBe(false);
  });

  it.each(Object.entries(eventMap))('and so does the %s event’s payload', (event, schema) => {
    expect(walked(schema, event).holes).toEqual([]);
  });
});

describe('the walk itself', () => {
  it('finds every kind of hole it claims to', () => {
    const nested = z.strictObject({
      ok: z.strictObject({ a: z.string() }),
      stripped: z.array(z.object({ b: z.number() })),
      loose: z.union([z.strictObject({ c: z.literal(1) }), z.looseObject({ d: z.literal(2) })]),
      open: z.record(z.string(), z.string()),
      closed: z.record(z.enum(['x', 'y']), z.string()),
      anything: z.unknown().optional(),
      later: z.lazy(() => z.object({ e: z.boolean() }).nullable()),
      preprocessed: z.preprocess((value) => value, z.strictObject({ f: z.string() })),
    });
    expect(walked(nested, 'r').holes.map((hole) => hole.path)).toEqual([
      'r.stripped[]',
      'r.loose|1',
      'r.open',
      'r.anything',
      'r.later',
      'r.preprocessed',
    ]);
  });

  it('finds no hole in AppError: its detail record refuses a key that names a secret', () => {
    expect(walked(AppErrorSchema, 'e')).toEqual({ objects: 1, holes: [] });
    expect(walked(z.record(z.string(), z.string()), 'other').holes).toHaveLength(1);
    expect(AppErrorSchema.safeParse({ code: 'x', message: 'm', ...leak }).success).toBe(false);
  });

  it('counts a strict object with a catchall that is not never as a hole', () => {
    const caught = z.strictObject({ a: z.string() }).catchall(z.string());
    expect(walked(caught, 'c').holes).toEqual([{ path: 'c', why: 'an object that takes undeclared keys' }]);
    expect(walked(z.strictObject({ a: z.string() }), 's')).toEqual({ objects: 1, holes: [] });
  });
});
