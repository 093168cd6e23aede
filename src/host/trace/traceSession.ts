// Runs a trace of a file or notebook for the editor: checks that tracing can run here, picks the
// interpreter, shows a progress notification whose Cancel aborts the run, streams the program's
// output to the "Gradient Lens Trace" channel, keeps the results (traceResults.ts) and the raised
// exception (traceDiagnostics.ts), and says what happened when it was not a plain success.
import * as vscode from 'vscode';
import type { TraceFailure, TraceOutcome, TraceRun, TraceSourceLanguage } from '../../trace/protocol';
import type { SettingsReader } from '../config';
import type { Log } from '../log';
import { traceRefusal, type Refusal } from './availability';
import { chooseInterpreter, type Interpreter } from './interpreter';
import { readTraceSettings } from './settings';
import { TraceDiagnostics } from './traceDiagnostics';
import type { TraceResults } from './traceResults';
import { traceRunner } from './traceRunner';
import { snapshotOf, TRACE_LANGUAGES, workingDirectory, type TraceTarget } from './target';

export const TRACE_OUTPUT_CHANNEL = 'Gradient Lens Trace';

/** What a trace came to; the command resolves to it (the extension-host tests read it). */
export interface TraceReport {
  status: 'unavailable' | 'failed' | 'traced' | 'cancelled' | 'timeout' | 'superseded';
  /** Why it did not run, or why it failed (unavailable, failed). */
  reason?: string;
  failure?: TraceFailure['kind'];
  /** traced, cancelled, timeout: how many sites there are and how many the run reached. */
  sites?: number;
  reached?: number;
  /** The exception that ended the program ("ZeroDivisionError: division by zero"), if any. */
  error?: string;
  interpreter?: string;
  durationMs?: number;
}

/** Who asked: the command shows every refusal; a save never pops up a message. */
export type TraceTrigger = 'command' | 'save';

export interface TraceServices {
  extensionUri: vscode.Uri;
  log: Log;
  settings: SettingsReader;
  results: TraceResults;
}

interface Running {
  controller: AbortController;
  done: Promise<TraceReport>;
}

export class TraceSession implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel(TRACE_OUTPUT_CHANNEL);
  private readonly diagnostics = new TraceDiagnostics();
  private readonly running = new Map<string, Running>();
  /** Runs cancelled because a newer trace of the same file started: their outcome is dropped. */
  private readonly superseded = new WeakSet<AbortController>();
  private readonly runningEmitter = new vscode.EventEmitter<void>();
  /** A trace started or ended (the status bar shows "Tracing…"). */
  readonly onDidChangeRunning = this.runningEmitter.event;

  constructor(private readonly services: TraceServices) {}

  get results(): TraceResults {
    return this.services.results;
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.running.has(uri.toString());
  }

  showOutput(): void {
    this.output.show(true);
  }

  /** Back to the static lenses for this file or notebook. */
  clear(uri: vscode.Uri): void {
    this.services.results.clear(uri);
    this.diagnostics.clear(uri);
  }

  /** Why tracing `target` cannot run now, or undefined. */
  refusal(target: TraceTarget | undefined): Refusal | undefined {
    return traceRefusal(
      {
        runnerUnavailable: traceRunner.unavailable,
        trusted: vscode.workspace.isTrusted,
        mode: readTraceSettings(target?.uri).mode,
        target: target && { scheme: target.uri.scheme, languageId: target.languageId, name: target.name },
      },
      TRACE_LANGUAGES,
    );
  }

  /** Traces `target`; a trace of the same file still running is cancelled first. */
  async trace(target: TraceTarget | undefined, trigger: TraceTrigger): Promise<TraceReport> {
    const refusal =
      this.refusal(target) ??
      (target && target.documents.length === 0 ? { reason: `${target.name} has no code cell to run.` } : undefined);
    if (refusal || !target) {
      const reason = refusal?.reason ?? 'nothing to trace';
      if (trigger === 'command') void this.explainRefusal(refusal);
      return { status: 'unavailable', reason };
    }
    const key = target.uri.toString();
    const previous = this.running.get(key);
    if (previous) {
      this.superseded.add(previous.controller);
      previous.controller.abort();
      await previous.done;
    }
    const controller = new AbortController();
    const done = this.run(target, controller, trigger);
    this.running.set(key, { controller, done });
    this.runningEmitter.fire();
    try {
      return await done;
    } finally {
      if (this.running.get(key)?.done === done) this.running.delete(key);
      this.runningEmitter.fire();
    }
  }

  dispose(): void {
    for (const running of this.running.values()) running.controller.abort();
    this.running.clear();
    this.output.dispose();
    this.diagnostics.dispose();
    this.runningEmitter.dispose();
  }

  private async run(target: TraceTarget, controller: AbortController, trigger: TraceTrigger): Promise<TraceReport> {
    const language = target.languageId as TraceSourceLanguage;
    const interpreter = await chooseInterpreter(
      language === 'python' ? 'python' : 'node',
      target.uri,
      this.services.log,
    );
    const settings = this.services.settings(target.documents[0]);
    const snapshot = snapshotOf(target);
    const cwd = workingDirectory(target.uri);
    const timeoutSeconds = readTraceSettings(target.uri).timeoutSeconds;
    const run: TraceRun = {
      file: target.uri.fsPath,
      language,
      ...(target.notebook
        ? { cells: target.documents.map((each) => each.getText()) }
        : { text: target.documents[0].getText() }),
      cwd,
      interpreter: interpreter.command,
      timeoutMs: Math.round(timeoutSeconds * 1000),
      tracerDir: vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'tracer').fsPath,
      tag: settings.tag,
      leafConstructors: settings.leafConstructors,
      onOutput: (chunk) => this.output.append(chunk),
    };
    this.output.clear();
    this.output.appendLine(
      `▶ ${target.name} with ${interpreter.command} (${describeSource(interpreter)}), in ${cwd}, timeout ${timeoutSeconds} s`,
    );
    const outcome = await this.withProgress(target, trigger, controller, interpreter, () =>
      traceRunner.run(run, controller.signal),
    );
    if (!outcome)
      return { status: 'failed', reason: 'the trace failed unexpectedly (see the output channel "Gradient Lens")' };
    this.output.appendLine(`■ ${summaryLine(outcome)}`);
    if (this.superseded.has(controller)) return { status: 'superseded' };
    if (outcome.failure) {
      void this.explainFailure(target, outcome.failure, interpreter);
      return {
        status: 'failed',
        reason: outcome.failure.message,
        failure: outcome.failure.kind,
        interpreter: outcome.interpreter,
        durationMs: outcome.durationMs,
      };
    }
    this.services.results.set(target, snapshot, outcome, Date.now());
    this.diagnostics.set(target, outcome.error);
    const report: TraceReport = {
      status: outcome.stopped === 'cancelled' ? 'cancelled' : outcome.stopped === 'timeout' ? 'timeout' : 'traced',
      sites: outcome.lenses.length,
      reached: outcome.lenses.filter((lens) => lens.trace.reached).length,
      error: outcome.error?.message,
      interpreter: outcome.interpreter,
      durationMs: outcome.durationMs,
    };
    if (trigger === 'command') void this.explainOutcome(target, outcome, report);
    return report;
  }

  /** The progress notification while the program runs; its Cancel aborts the run. */
  private async withProgress(
    target: TraceTarget,
    trigger: TraceTrigger,
    controller: AbortController,
    interpreter: Interpreter,
    body: () => Promise<TraceOutcome>,
  ): Promise<TraceOutcome | undefined> {
    const title = `Gradient Lens: tracing ${target.name}`;
    try {
      return await vscode.window.withProgress(
        {
          location: trigger === 'command' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title,
          cancellable: true,
        },
        async (progress, token) => {
          const cancel = token.onCancellationRequested(() => controller.abort());
          const started = Date.now();
          progress.report({ message: `running ${interpreter.command}…` });
          const clock = setInterval(
            () =>
              progress.report({ message: `${Math.round((Date.now() - started) / 1000)} s · ${interpreter.command}` }),
            1000,
          );
          try {
            return await body();
          } finally {
            clearInterval(clock);
            cancel.dispose();
          }
        },
      );
    } catch (error) {
      // The runner reports failures in its outcome; an exception here is a bug, not the user's.
      this.services.log.error(`trace of ${target.name}`, error);
      this.output.appendLine(`■ the trace failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(
        `Gradient Lens: the trace of ${target.name} failed unexpectedly. The output channel "Gradient Lens" has the details.`,
      );
      return undefined;
    }
  }

  private async explainRefusal(refusal: Refusal | undefined): Promise<void> {
    const reason = refusal?.reason ?? 'Nothing to trace.';
    const actions = [
      refusal?.setting ? 'Open Setting' : undefined,
      refusal?.trust ? 'Manage Workspace Trust' : undefined,
    ];
    const choice = await vscode.window.showInformationMessage(
      `Gradient Lens: ${reason}`,
      ...actions.filter((each): each is string => each !== undefined),
    );
    if (choice === 'Open Setting' && refusal?.setting)
      await vscode.commands.executeCommand('workbench.action.openSettings', refusal.setting);
    if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  }

  /** A missing interpreter or module: what happened, and the setting that picks another interpreter. */
  private async explainFailure(target: TraceTarget, failure: TraceFailure, interpreter: Interpreter): Promise<void> {
    const setting = failure.setting ?? interpreter.setting;
    const fixable = failure.kind === 'interpreter-missing' || failure.kind === 'module-missing';
    const hint =
      fixable && interpreter.source === 'python-extension'
        ? ' (the interpreter the Python extension has selected: pick another with "Python: Select Interpreter")'
        : '';
    const choice = await vscode.window.showErrorMessage(
      `Gradient Lens: could not trace ${target.name}: ${failure.message}${hint}`,
      ...(fixable ? ['Open Setting'] : []),
      'Show Output',
    );
    if (choice === 'Open Setting') await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    if (choice === 'Show Output') this.showOutput();
  }

  /** Cut short or raised: say so (the lenses show what ran until then). A clean run needs no message. */
  private async explainOutcome(target: TraceTarget, outcome: TraceOutcome, report: TraceReport): Promise<void> {
    let message: string | undefined;
    const seconds = (outcome.durationMs / 1000).toFixed(1);
    if (outcome.stopped === 'timeout')
      message = `the trace of ${target.name} was stopped after ${seconds} s (gradientLens.trace.timeoutSeconds); the lenses show what ran until then.`;
    else if (outcome.stopped === 'cancelled')
      message = `the trace of ${target.name} was cancelled after ${seconds} s; the lenses show what ran until then.`;
    else if (outcome.stopped === 'signal')
      message = `the program ${target.name} was stopped by a signal after ${seconds} s; the lenses show what ran until then.`;
    else if (report.error) message = `${target.name} raised ${report.error} (see the Problems view).`;
    if (!message) return;
    const actions = outcome.stopped === 'timeout' ? ['Open Setting', 'Show Output'] : ['Show Output'];
    const choice = await vscode.window.showWarningMessage(`Gradient Lens: ${message}`, ...actions);
    if (choice === 'Open Setting')
      await vscode.commands.executeCommand('workbench.action.openSettings', 'gradientLens.trace.timeoutSeconds');
    if (choice === 'Show Output') this.showOutput();
  }
}

function describeSource(interpreter: Interpreter): string {
  switch (interpreter.source) {
    case 'python-extension':
      return "the Python extension's selection";
    case 'setting':
      return interpreter.setting;
    case 'default':
      return 'on PATH';
  }
}

function summaryLine(outcome: TraceOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  if (outcome.failure) return `failed after ${seconds} s: ${outcome.failure.message}`;
  const reached = outcome.lenses.filter((lens) => lens.trace.reached).length;
  const how = outcome.stopped ? `stopped (${outcome.stopped})` : outcome.finished ? 'finished' : 'ended';
  return `${how} after ${seconds} s with ${outcome.interpreter}: ${reached} of ${outcome.lenses.length} annotated statements reached${outcome.error ? `; raised ${outcome.error.message}` : ''}`;
}
