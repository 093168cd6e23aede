// Creating SVG elements through DOM APIs only: every label reaches the page via textContent,
// never via innerHTML, so a variable name can never become markup. Text is drawn in its visible
// form (engine/graph's visibleText, as the DOT has it): a control character is not allowed in XML
// even as a reference, so a raw one would make an exported SVG unreadable, and a bidi override
// would make a label read as something it is not. Attributes that carry user text go through
// `visibleText` where render.ts sets them.
import { visibleText } from '../../engine/graph';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent?.appendChild(element);
  return element;
}

export function svgText(text: string, attributes: Record<string, string | number>, parent: Element): SVGTextElement {
  const element = svgElement('text', attributes, parent);
  element.textContent = visibleText(text);
  return element;
}

export function svgTitle(text: string, parent: Element): void {
  svgElement('title', {}, parent).textContent = visibleText(text);
}

/** Rounds coordinates to 0.01 pt: a smaller SVG and no visible difference. */
export function fixed(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}
