// Names for the nodes no plain name in scope refers to: an MLP's weights inside `Neuron.forward`,
// `this.b`, `lin.w[0]`. Each object or array a name in scope held at the site's last execution is
// looked into one level down (and its arrays' items), at the end of the run: a member reassigned
// after that execution names the node it holds then, and only nodes of the site's graph get a name.

import { isNode, type Node } from './duck';

/** The most members looked at per object, and items per array: a large array is no name source. */
const MEMBER_LIMIT = 256;

/** [`holder.member`, node] for graph nodes (in `ids`) not in `named`, first found first. */
export function memberNames(holders: [string, object][], ids: Map<Node, number>, named: Set<Node>): [string, Node][] {
  const out: [string, Node][] = [];
  const take = (name: string, value: unknown): void => {
    if (isNode(value) && ids.has(value) && !named.has(value)) {
      named.add(value);
      out.push([name, value]);
    }
  };
  const items = (name: string, array: unknown[]): void => {
    for (let i = 0; i < Math.min(array.length, MEMBER_LIMIT); i++) take(`${name}[${i}]`, array[i]);
  };
  for (const [name, holder] of holders) {
    if (Array.isArray(holder)) {
      items(name, holder);
      continue;
    }
    let keys: string[];
    try {
      keys = Object.keys(holder).slice(0, MEMBER_LIMIT);
    } catch {
      continue; // a Proxy's ownKeys trap that throws
    }
    for (const key of keys) {
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
      let value: unknown;
      try {
        value = (holder as Record<string, unknown>)[key];
      } catch {
        continue; // a getter of the user's that throws
      }
      if (Array.isArray(value)) items(`${name}.${key}`, value);
      else take(`${name}.${key}`, value);
    }
  }
  return out;
}
