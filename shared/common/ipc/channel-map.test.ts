import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppErrorSchema } from '../errors/app-error';
import { channelMap } from './channel-map';
import { ipcChannels } from './channel-names';
import { eventMap } from './event-map';

/** Field names that could only hold a secret: no response or event may ever declare one. */
const secretLike = /pass(word|phrase)?$|secret|privatekey|apikey|token|credential/i;

/** Every field name in a schema with the schema of its value ("hasPassword" may exist, as a boolean). */
function fieldNames(schema: z.ZodType, into: string[] = []): string[] {
  if (schema instanceof z.ZodObject) {
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      if (!(value instanceof z.ZodBoolean)) into.push(key);
      fieldNames(value, into);
    }
  } else if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault
  ) {
    fieldNames(schema.unwrap() as z.ZodType, into);
  } else if (schema instanceof z.ZodArray) {
    fieldNames(schema.element as z.ZodType, into);
  } else if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion) {
    for (const option of schema.options as z.ZodType[]) fieldNames(option, into);
  } else if (schema instanceof z.ZodRecord) {
    fieldNames(schema.valueType as z.ZodType, into);
  } else if (schema instanceof z.ZodPipe) {
    fieldNames(schema.out as z.ZodType, into);
  }
  return into;
}

describe('the IPC contract', () => {
  it('has exactly one schema pair per allow-listed channel', () => {
    expect(Object.keys(channelMap).sort()).toEqual([...ipcChannels].sort());
  });

  it('has no response or event field that could carry a secret', () => {
    const names = [
      ...Object.values(channelMap).flatMap((contract) => fieldNames(contract.response)),
      ...Object.values(eventMap).flatMap((schema) => fieldNames(schema)),
    ];
    expect(names).toContain('bindUser');
    expect(names).toContain('pinnedFingerprints');
    expect(names.filter((name) => secretLike.test(name))).toEqual([]);
  });

  it('lets secrets into main only through connections:save', () => {
    const save = channelMap['connections:save'].request;
    const base = {
      kind: 'activeDirectory',
      name: 'Contoso',
      domain: 'contoso.com',
      bindUser: 'svc@contoso.com',
    };
    const targets = [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }];
    expect(save.safeParse({ ...base, targets, password: 'x' }).success).toBe(true);
    expect(save.safeParse({ ...base, targets, hasPassword: true }).success).toBe(false);
    expect(channelMap['connections:get'].response.safeParse({ password: 'x' }).success).toBe(false);
  });

  it('app:info takes an empty object and nothing else', () => {
    expect(channelMap['app:info'].request.safeParse({}).success).toBe(true);
    expect(channelMap['app:info'].request.safeParse({ x: 1 }).success).toBe(false);
    expect(channelMap['app:info'].request.safeParse(undefined).success).toBe(false);
  });
});

describe('AppError', () => {
  it.each(['input.invalid', 'internal', 'ad.invalidCredentials', 'entra.mfaRequired'])(
    'accepts code %s',
    (code) => {
      expect(AppErrorSchema.safeParse({ code, message: 'm' }).success).toBe(true);
    },
  );

  it.each(['', 'Input.Invalid', 'ad..x', 'ad.', 'has space', '.lead'])('rejects code "%s"', (code) => {
    expect(AppErrorSchema.safeParse({ code, message: 'm' }).success).toBe(false);
  });

  it('rejects a stack or any field outside code, message, hint, detail', () => {
    expect(
      AppErrorSchema.safeParse({ code: 'internal', message: 'm', stack: 'Error: x\n at y' }).success,
    ).toBe(false);
  });

  it('keeps detail to flat safe facts', () => {
    expect(
      AppErrorSchema.safeParse({ code: 'x', message: 'm', detail: { status: 502, host: 'dc1' } }).success,
    ).toBe(true);
    expect(AppErrorSchema.safeParse({ code: 'x', message: 'm', detail: { nested: { a: 1 } } }).success).toBe(
      false,
    );
  });
});
