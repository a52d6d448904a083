import type { EventPayloadOf } from '../../../../shared/common/ipc/event-map';

export type DeviceCodePrompt = NonNullable<EventPayloadOf<'progress'>['deviceCode']>;
export type BrowserPrompt = NonNullable<EventPayloadOf<'progress'>['browser']>;

/** A sign-in the wizard is waiting for: its step, what the person does elsewhere, and how to stop it. */
export interface SignIn {
  step: string;
  deviceCode: DeviceCodePrompt | null;
  browser: BrowserPrompt | null;
  cancel(): void;
}

export function startedSignIn(cancel: () => void): SignIn {
  return { step: 'Signing in…', deviceCode: null, browser: null, cancel };
}

/**
 * The sign-in after a progress event. The device code stays up until the end (it is typed on another device);
 * the browser prompt only until a later step shows that the sign-in came back.
 */
export function progressed(current: SignIn, progress: EventPayloadOf<'progress'>): SignIn {
  return {
    ...current,
    step: progress.step,
    deviceCode: progress.deviceCode ?? current.deviceCode,
    browser: progress.browser ?? (progress.done > 0 ? null : current.browser),
  };
}
