// A standalone SVG of the graph as drawn: the webview's colours are `--vscode-*` variables that
// mean nothing outside VS Code, so the export carries a small stylesheet with their current values.
const EXPORT_STYLE = `
  svg { background: var(--vscode-editor-background); font-family: Helvetica, Arial, sans-serif; }
  text { font-size: 12px; text-anchor: middle; dominant-baseline: central; fill: var(--vscode-editor-foreground); }
  .node rect, .node ellipse { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-editor-foreground); stroke-width: 1; }
  .node.quiet { opacity: 0.7; }
  .field-separator { stroke: var(--vscode-editor-foreground); }
  .node-label { font-weight: bold; }
  .edge-line { fill: none; stroke: var(--vscode-editor-foreground); }
  .edge-hit { display: none; }
  .edge-arrow { fill: var(--vscode-editor-foreground); }
  .edge-label { display: none; }
  .grad-colours .ink-dark text { fill: #000000; }
  .grad-colours .ink-light text { fill: #ffffff; }
  .grad-colours .node.quiet { opacity: 1; }
  .folded rect { stroke-dasharray: 6 3; }
`;

export function exportSvg(svg: SVGSVGElement, withEdgeLabels: boolean): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.removeAttribute('style');
  // The keyboard hooks belong to the webview; the exported picture keeps only the labels.
  clone.removeAttribute('aria-description');
  clone.querySelectorAll('[tabindex]').forEach((element) => element.removeAttribute('tabindex'));
  // The plot icons are controls of the panel, not part of the picture.
  clone.querySelectorAll('.plot-control').forEach((element) => element.remove());
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  const labels = withEdgeLabels ? '\n  .edge-label { display: inline; font-size: 10px; }' : '';
  style.textContent = resolveVariables(EXPORT_STYLE + labels);
  clone.insertBefore(style, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

function resolveVariables(css: string): string {
  const computed = getComputedStyle(document.documentElement);
  return css.replace(
    /var\((--[\w-]+)\)/g,
    (_, name: string) => computed.getPropertyValue(name).trim() || fallback(name),
  );
}

function fallback(name: string): string {
  return name.includes('background') ? '#ffffff' : '#000000';
}
