// What the graph panel shows first: the layout's direction chosen from the panel's shape, and a
// scale and offset at which every label can be read, centred on the output. Pure (sizes in,
// numbers out), so the tests run it in plain Node; the webview calls it with the measured
// viewport and the laid-out drawing.

export type Orientation = 'LR' | 'TB';

/** The drawing's text is 12 px at scale 1 (media/graph.css). */
export const LABEL_FONT_PX = 12;
/** The smallest label height the first view allows, in CSS pixels. */
export const READABLE_LABEL_PX = 10;
/** Below this scale a 12 px label is drawn under 10 px: the first view never goes lower. */
export const READABLE_SCALE = READABLE_LABEL_PX / LABEL_FONT_PX;
/** A small graph is not blown up past this: a neuron filling a wide panel at 3× looks broken. */
export const FIRST_VIEW_MAX_SCALE = 1.5;
/** Room left around a graph that fits, as a fraction of the viewport. */
const FIT_MARGIN = 0.95;

/**
 * Left to right when the panel is at least as wide as it is tall, top to bottom when it is
 * taller: a chain of ops then runs along the panel's long side.
 */
export function chooseOrientation(width: number, height: number): Orientation {
  return width >= height ? 'LR' : 'TB';
}

export interface Size {
  width: number;
  height: number;
}

export interface ViewTransform {
  x: number;
  y: number;
  scale: number;
}

/**
 * The first view of a drawing of `content` size (graph units) in a `viewport` (CSS pixels): the
 * whole graph when it fits at a readable scale; else the readable scale, centred on `focus` (the
 * output) and shifted so that no empty margin shows on a side where the drawing goes on, which
 * keeps as much of the graph on screen as there is room for. The rest is a pan away.
 */
export function firstViewTransform(content: Size, viewport: Size, focus: readonly [number, number]): ViewTransform {
  const fit = Math.min(viewport.width / content.width, viewport.height / content.height) * FIT_MARGIN;
  const scale = Math.max(READABLE_SCALE, Math.min(fit, FIRST_VIEW_MAX_SCALE));
  return {
    scale,
    x: axisOffset(content.width * scale, viewport.width, focus[0] * scale),
    y: axisOffset(content.height * scale, viewport.height, focus[1] * scale),
  };
}

/** Along one axis: centred when the drawing fits, else the focus centred within the drawing's extent. */
function axisOffset(drawn: number, room: number, focus: number): number {
  if (drawn <= room) return (room - drawn) / 2;
  const centred = room / 2 - focus;
  return Math.min(0, Math.max(room - drawn, centred));
}

/** The height a label is drawn at, in CSS pixels, at `scale`. */
export function labelPixels(scale: number): number {
  return LABEL_FONT_PX * scale;
}
