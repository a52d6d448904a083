/** Long operations that carry an operationId can be cancelled from the window while they run. */
export class OperationRegistry {
  private readonly running = new Map<string, AbortController>();

  /** Registers a run and returns its signal and the function that unregisters it. */
  start(operationId: string | undefined): { signal: AbortSignal; finish(): void } {
    const controller = new AbortController();
    if (!operationId) return { signal: controller.signal, finish: () => {} };
    this.running.get(operationId)?.abort();
    this.running.set(operationId, controller);
    return {
      signal: controller.signal,
      finish: () => {
        if (this.running.get(operationId) === controller) this.running.delete(operationId);
      },
    };
  }

  cancel(operationId: string): boolean {
    const controller = this.running.get(operationId);
    controller?.abort();
    this.running.delete(operationId);
    return Boolean(controller);
  }
}
