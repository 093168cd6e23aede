// The hover's "Plot o against x1" link: a command link to the graph panel's plot of the lens's
// output against one of its variables (src/webview/plotView.ts). Pure; the hover provider adds it
// under a variable's section and trusts this one command only.

/**
 * Markdown for the link. `command` is the command id (the host's CommandId); the arguments travel
 * as JSON in the link: the document's URI as text, the lens's line, the variable's name.
 */
export function plotLink(command: string, documentUri: string, line: number, target: string, name: string): string {
  const args = encodeURIComponent(JSON.stringify([documentUri, line, name]));
  const title = `Plot ${escapeLinkText(target)} against ${escapeLinkText(name)}`;
  return `[${title}](command:${command}?${args} "The output near this value, its tangent and finite differences")`;
}

/** Names come from the user's file: nothing in them may end the link or start markup. */
function escapeLinkText(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~-]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, ' ');
}
