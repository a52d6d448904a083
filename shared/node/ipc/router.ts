import { randomUUID } from 'node:crypto';
import { type AppError, AppErrorSchema, isAppFailure } from '../../common/errors/app-error';
import { describeIssues } from '../../common/errors/describe-issues';
import { AppErrorCode } from '../../common/errors/error-codes';
import { unknownChannelError } from '../../common/errors/ipc-errors';
import {
  channelMap,
  type ParsedRequestOf,
  type RequestOf,
  type ResponseOf,
} from '../../common/ipc/channel-map';
import { type IpcChannel, type IpcEvent, isIpcChannel } from '../../common/ipc/channel-names';
import { type EventPayloadOf, eventMap } from '../../common/ipc/event-map';
import { fail, ok, type Result } from '../../common/result';
import type { BrowserOpener } from '../entra/browser-sign-in';
import type { OperationRegistry } from './operations';

export interface HandlerContext {
  /** Pushes an event to the renderer that made the call. */
  emit<E extends IpcEvent>(event: E, payload: EventPayloadOf<E>): void;
  /** Aborted when the window cancels the request's operationId. */
  signal?: AbortSignal;
  /**
   * What an in-process host decided itself, never read from a request: the CLI's `we register --routes`,
   * `--no-system-trust` and `--no-browser`. The IPC hosts leave it unset, so no window can name a file main writes, nor choose what
   * a connection trusts beyond the settings file. `bundleFile`: the CLI's `diagnose --bundle FILE`, written
   * instead of asking main's Save dialog.
   */
  host?: { routesFile?: string; trustSystemStore?: false; openBrowser?: BrowserOpener; bundleFile?: string };
}

export type Handler<C extends IpcChannel> = (
  request: ParsedRequestOf<C>,
  context: HandlerContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type Handlers = { [C in IpcChannel]: Handler<C> };

export type DispatchOutcome =
  | 'ok'
  | 'failed'
  | 'invalidRequest'
  | 'invalidResponse'
  | 'internal'
  | 'unknownChannel';

/** One line per call, for the log and for tests that must prove a handler was or was not reached. */
export interface DispatchTrace {
  channel: string;
  outcome: DispatchOutcome;
  handlerCalled: boolean;
  errorCode?: string;
  ms: number;
}

export interface RouterOptions {
  /** Where requests that carry an operationId register, so operation:cancel can reach them. */
  operations?: OperationRegistry;
  onTrace?: (trace: DispatchTrace) => void;
  /** Receives what was thrown so the host can log it; the renderer only ever sees the errorId. */
  onUnexpectedError?: (error: unknown, facts: { channel: string; errorId: string }) => void;
}

export interface Router {
  /** For untrusted callers (IPC): anything may arrive. */
  dispatch(channel: unknown, payload: unknown, context: HandlerContext): Promise<Result<unknown>>;
  /** For in-process callers (the CLI): the same checks, typed by the channel map. */
  invoke<C extends IpcChannel>(
    channel: C,
    request: RequestOf<C>,
    context?: HandlerContext,
  ): Promise<Result<ResponseOf<C>>>;
}

const silentContext: HandlerContext = { emit: () => {} };

/**
 * The caller's emit behind the event's own schema, as responses are behind theirs: a progress event that would
 * carry an undeclared field (or an error detail naming a secret) is dropped and reported, never sent.
 */
function checkedEmit(
  context: HandlerContext,
  channel: IpcChannel,
  report: RouterOptions['onUnexpectedError'],
): HandlerContext['emit'] {
  return (event, payload) => {
    const checked = eventMap[event].safeParse(payload);
    if (checked.success) return context.emit(event, checked.data as typeof payload);
    report?.(
      new Error(
        `a ${event} event of ${channel} broke its schema: ${describeIssues(checked.error.issues).join('; ')}`,
      ),
      { channel, errorId: randomUUID().slice(0, 8) },
    );
  };
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const router: Router = {
    invoke<C extends IpcChannel>(channel: C, request: RequestOf<C>, context = silentContext) {
      // dispatch validated the value against channelMap[channel].response, so the narrowing is sound.
      return router.dispatch(channel, request, context) as Promise<Result<ResponseOf<C>>>;
    },
    async dispatch(channel, payload, context) {
      const started = performance.now();
      let handlerCalled = false;
      const finish = (outcome: DispatchOutcome, result: Result<unknown>): Result<unknown> => {
        options.onTrace?.({
          channel: typeof channel === 'string' ? channel.slice(0, 100) : typeof channel,
          outcome,
          handlerCalled,
          ...(result.ok ? {} : { errorCode: result.error.code }),
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
        return result;
      };

      if (!isIpcChannel(channel)) {
        return finish('unknownChannel', fail(unknownChannelError()));
      }
      const contract = channelMap[channel];

      const request = contract.request.safeParse(payload);
      if (!request.success) {
        return finish('invalidRequest', fail(invalidRequest(channel, describeIssues(request.error.issues))));
      }

      let response: unknown;
      const operationId = (request.data as { operationId?: unknown }).operationId;
      const operation = options.operations?.start(typeof operationId === 'string' ? operationId : undefined);
      try {
        handlerCalled = true;
        // The map and the handler table are keyed alike; TypeScript cannot correlate them through a union key.
        const handler = handlers[channel] as Handler<IpcChannel>;
        response = await handler(request.data as ParsedRequestOf<IpcChannel>, {
          ...context,
          emit: checkedEmit(context, channel, options.onUnexpectedError),
          ...(operation ? { signal: operation.signal } : {}),
        });
      } catch (error) {
        // An AppFailure goes out as it is only if it keeps the contract (a detail keyed `password` does not).
        const appError = isAppFailure(error) ? AppErrorSchema.safeParse(error.appError) : null;
        if (appError?.success) {
          return finish('failed', fail(appError.data));
        }
        const errorId = randomUUID().slice(0, 8);
        options.onUnexpectedError?.(
          appError
            ? new Error(
                `an error of ${channel} broke the AppError contract: ${describeIssues(appError.error.issues).join('; ')}`,
              )
            : error,
          { channel, errorId },
        );
        return finish('internal', fail(internalError(channel, errorId)));
      } finally {
        operation?.finish();
      }

      const checked = contract.response.safeParse(response);
      if (!checked.success) {
        const errorId = randomUUID().slice(0, 8);
        options.onUnexpectedError?.(
          new Error(
            `response of ${channel} broke its schema: ${describeIssues(checked.error.issues).join('; ')}`,
          ),
          { channel, errorId },
        );
        return finish('invalidResponse', fail(internalError(channel, errorId)));
      }
      return finish('ok', ok(checked.data));
    },
  };
  return router;
}

function invalidRequest(channel: IpcChannel, issues: string[]): AppError {
  return {
    code: AppErrorCode.inputInvalid,
    message: 'The request was rejected because some of its fields are missing or malformed.',
    hint: 'Check the highlighted fields and try again.',
    detail: { channel, issues },
  };
}

function internalError(channel: IpcChannel, errorId: string): AppError {
  return {
    code: AppErrorCode.internal,
    message: 'Connection Utility hit an unexpected error while handling this request.',
    hint: `Try again. If it happens again, report error id ${errorId} together with the log file.`,
    detail: { channel, errorId },
  };
}
