// The graph webview's HTML: static markup only (no label or number of the graph is in it; those
// arrive as a message and reach the DOM as text). Pure, so the CSP can be tested in plain Node.
//
// The Content Security Policy, directive by directive:
//   default-src 'none'                   nothing that is not listed below
//   script-src 'nonce-…'                 only our bundle, no inline script or handler
//              'wasm-unsafe-eval'        Graphviz is WebAssembly; compiling it needs this (it
//                                        does not allow eval of JavaScript)
//   style-src <webview resource origin>  only media/graph.css: no inline <style> or style=""
//                                        (pan and zoom set element.style via the CSSOM, which
//                                        CSP does not restrict)
//   connect-src <webview resource origin>  to fetch dist/layoutWorker.js …
//   worker-src blob:                     … and start it from a blob: URL: a webview's resources
//                                        are served from another origin than the webview
//                                        document, and a Worker must be same-origin
//   img-src <webview resource origin>    nothing else
export interface GraphHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  workerUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource}`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
    `img-src ${cspSource}`,
  ].join('; ');
}

export function graphHtml(input: GraphHtmlInput): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(input.styleUri)}">
  <title>Gradient Lens: Graph</title>
</head>
<body data-state="waiting" data-worker-src="${attr(input.workerUri)}">
  <div id="toolbar" role="toolbar" aria-label="Graph">
    <span id="title"></span>
    <span id="gradcheck" class="badge" hidden></span>
    <span class="group" aria-label="Backward pass">
      <button id="reset" title="Reset: every grad 0, the output's 1 (R)" aria-keyshortcuts="R">Reset</button>
      <button id="step-back" title="Undo the last step: the grads as they were before it (B)" aria-keyshortcuts="B">Back</button>
      <button id="step" title="Process the next node of the backward pass (S)" aria-keyshortcuts="S">Step</button>
      <button id="play" title="Play the backward pass (P)" aria-keyshortcuts="P">Play</button>
      <button id="pause" title="Pause (P)" aria-keyshortcuts="P">Pause</button>
      <span id="step-counter"></span>
    </span>
    <span class="group" aria-label="View">
      <button id="fit" title="Fit the graph to the view (F)" aria-keyshortcuts="F">Fit</button>
      <button id="zoom-in" title="Zoom in (+)" aria-keyshortcuts="+">+</button>
      <button id="zoom-out" title="Zoom out (\u2212)" aria-keyshortcuts="-">\u2212</button>
      <button id="orientation" title="Switch the layout between left to right and top to bottom (L)" aria-keyshortcuts="L">Left to right</button>
      <label title="Show every edge's local derivative and contribution"><input type="checkbox" id="edge-labels"> Edge labels</label>
      <label title="Fill each value by the size of its gradient, on a log scale (C)"><input type="checkbox" id="colour-grads" aria-keyshortcuts="C"> Colour by |grad|</label>
    </span>
    <span class="group" aria-label="Find">
      <input type="search" id="search" placeholder="Find a value (/)" aria-label="Find a value by name (/); Enter: next match, Shift+Enter: previous, Escape: to the graph" aria-keyshortcuts="/">
      <button id="show-feeding" title="Show only what feeds the focused value (I)" aria-keyshortcuts="I">Inputs</button>
      <button id="show-fed" title="Show only what the focused value feeds (O)" aria-keyshortcuts="O">Uses</button>
      <button id="show-all" title="Show the whole graph again (A)" aria-keyshortcuts="A">All</button>
      <button id="plot" title="Plot the output against the focused variable, with its tangent and finite differences (X)" aria-keyshortcuts="X">Plot</button>
      <button id="fold-repeats" title="Fold every repeated block, such as the neurons of a layer, into one box; a click opens one (M)" aria-keyshortcuts="M" aria-pressed="false">Fold repeats</button>
    </span>
    <span class="group" aria-label="Export">
      <button id="export-svg">Export SVG\u2026</button>
      <button id="export-dot">Export DOT\u2026</button>
      <button id="copy-dot">Copy DOT</button>
    </span>
  </div>
  <div id="narrowing" hidden><span id="narrowing-text"></span></div>
  <div id="notice" hidden><span id="notice-text"></span> <button id="toggle-reduced">Show full graph</button></div>
  <div id="statusbar">
    <div id="status" role="status" aria-live="polite"></div>
    <div id="legend" role="img" hidden></div>
  </div>
  <div id="viewport"></div>
  <div id="plot-dialog" role="dialog" aria-labelledby="plot-title" hidden>
    <div class="plot-head"><span id="plot-title"></span><button id="plot-close" title="Back to the graph (Escape)">Close</button></div>
    <div id="plot-body"></div>
  </div>
  <script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] as string);
}
