/**
 * Runs `work` now, then again `ms` after each run ends, until stopped. When `work` answers true
 * (there is more to do at once: the outbox had mail due) it runs again straight away, and idles
 * only once it answers otherwise. A failure is logged, never thrown, and the loop idles. Returns
 * the function that stops it, awaiting the run in progress.
 */
export function repeatEvery(ms: number, work: () => Promise<boolean | void>, options: { log?: (line: string) => void } = {}): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await work()) === true) {
        /* more to do at once */
      }
    } catch (error) {
      options.log?.(error instanceof Error ? error.message : String(error));
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), ms);
  };
  running = tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
