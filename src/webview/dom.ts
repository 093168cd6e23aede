// Typed lookups of the panel's static markup (see graphPanel.ts's html()).
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the graph view is missing #${id}`);
  return element;
}
