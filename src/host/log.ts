// One output channel for the whole extension, and `guard`, which keeps every provider's exceptions
// out of the extension host: they are logged and the provider returns its fallback instead.
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Gradient Lens', { log: true });

  error(where: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.channel.error(`${where}: ${detail}`);
  }

  info(message: string): void {
    this.channel.info(message);
  }

  /** Shown only when the user sets the channel's log level to Debug. */
  debug(message: string): void {
    this.channel.debug(message);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Runs `body`; on an exception, logs it and returns `fallback`. Works for sync and async bodies. */
export function guard<T>(log: Log, where: string, fallback: T, body: () => Promise<T>): Promise<T>;
export function guard<T>(log: Log, where: string, fallback: T, body: () => T): T;
export function guard<T>(log: Log, where: string, fallback: T, body: () => T | Promise<T>): T | Promise<T> {
  try {
    const result = body();
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        log.error(where, error);
        return fallback;
      });
    }
    return result;
  } catch (error) {
    log.error(where, error);
    return fallback;
  }
}
