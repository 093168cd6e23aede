// The layout worker: Graphviz (compiled to WebAssembly) off the UI thread, so a large graph never
// freezes the webview and a stale layout can be cancelled by terminating the worker. The WASM is
// embedded in @hpcc-js/wasm-graphviz's JavaScript, so there is no separate .wasm asset to serve;
// compiling it needs CSP 'wasm-unsafe-eval', which a blob: worker inherits from the webview.
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { LAYOUT_FORMAT, parseLayout } from '../graph/layout';
import type { LayoutReply, LayoutRequest } from './layoutMessages';

/** The worker's global scope, typed narrowly: this tsconfig has DOM types, not WebWorker ones. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutReply): void;
};

let graphviz: Promise<Graphviz> | undefined;

scope.onmessage = (event) => {
  const { id, dot } = event.data;
  graphviz ??= Graphviz.load();
  graphviz
    .then((engine) => {
      if (dot === null) return scope.postMessage({ id, warm: true });
      const started = performance.now();
      const layout = parseLayout(engine.layout(dot, LAYOUT_FORMAT, 'dot'));
      scope.postMessage({ id, layout, ms: performance.now() - started });
    })
    .catch((error: unknown) =>
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
};
