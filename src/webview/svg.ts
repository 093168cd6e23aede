// Creating SVG elements through DOM APIs only: every label reaches the page via textContent,
// never via innerHTML, so a variable name can never become markup.
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
  element.textContent = text;
  return element;
}

export function svgTitle(text: string, parent: Element): void {
  svgElement('title', {}, parent).textContent = text;
}

/** Rounds coordinates to 0.01 pt: a smaller SVG and no visible difference. */
export function fixed(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}
