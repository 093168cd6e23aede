// Pan (drag), zoom (wheel, around the pointer; buttons) and fit for the graph. The SVG is moved by
// a CSS transform on the element itself (set through the CSSOM, which the CSP's style-src does not
// restrict), so the compositor moves one layer instead of repainting thousands of nodes: the
// issue's measurement at 5,000 nodes was ~67 ms a frame this way against ~400 ms for plain SVG.
import { firstViewTransform } from '../graph/firstView';

export interface Transform {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.02;
const MAX_SCALE = 8;
/** A drag shorter than this is a click (on a node), not a pan. */
const CLICK_SLOP = 4;
const SHARPEN_AFTER_MS = 200;

export class PanZoom {
  private transform: Transform = { x: 0, y: 0, scale: 1 };
  private content: SVGSVGElement | undefined;
  private drag: { x: number; y: number; startX: number; startY: number; moved: boolean } | undefined;
  private sharpenTimer: ReturnType<typeof setTimeout> | undefined;
  /** True right after a drag, so the click that ends it does not select a node. */
  suppressClick = false;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly onChange: (t: Transform) => void,
  ) {
    viewport.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    viewport.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    viewport.addEventListener('pointermove', (event) => this.onPointerMove(event));
    viewport.addEventListener('pointerup', (event) => this.onPointerUp(event));
    viewport.addEventListener('pointercancel', () => {
      this.drag = undefined;
      viewport.classList.remove('panning');
    });
  }

  /**
   * Shows a new drawing: at `transform` (a view kept across redraws) when it is valid, else at
   * the first view (firstView.ts): readable, centred on `focus` (in the drawing's pixels).
   */
  attach(content: SVGSVGElement, transform: Transform | undefined, focus: [number, number]): void {
    this.content = content;
    if (transform && [transform.x, transform.y, transform.scale].every(Number.isFinite)) this.set(transform);
    else this.firstView(focus);
  }

  /** The whole drawing when it fits at a readable scale, else readable and centred on `focus`. */
  firstView(focus: [number, number]): void {
    const size = this.contentSize();
    if (!size) return;
    const { width, height } = this.viewport.getBoundingClientRect();
    if (width <= 0 || height <= 0) return this.fit();
    this.set(firstViewTransform(size, { width, height }, focus));
  }

  get current(): Transform {
    return { ...this.transform };
  }

  fit(): void {
    const size = this.contentSize();
    if (!size) return;
    const { width, height } = this.viewport.getBoundingClientRect();
    const scale = clamp(Math.min(width / size.width, height / size.height, 1.5) * 0.95, MIN_SCALE, MAX_SCALE);
    this.set({ scale, x: (width - size.width * scale) / 2, y: (height - size.height * scale) / 2 });
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    const rect = this.viewport.getBoundingClientRect();
    const x = cx ?? rect.width / 2;
    const y = cy ?? rect.height / 2;
    const scale = clamp(this.transform.scale * factor, MIN_SCALE, MAX_SCALE);
    const k = scale / this.transform.scale;
    this.set({ scale, x: x - (x - this.transform.x) * k, y: y - (y - this.transform.y) * k });
  }

  /** Pans so that the point (in graph units) is in the middle of the viewport. */
  centerOn(gx: number, gy: number): void {
    const { width, height } = this.viewport.getBoundingClientRect();
    const { scale } = this.transform;
    this.set({ scale, x: width / 2 - gx * scale, y: height / 2 - gy * scale });
  }

  /** Centres the point (in graph units) when it is outside the viewport; else leaves the view alone. */
  reveal(gx: number, gy: number): void {
    const { width, height } = this.viewport.getBoundingClientRect();
    const x = this.transform.x + gx * this.transform.scale;
    const y = this.transform.y + gy * this.transform.scale;
    const margin = 24;
    if (x < margin || y < margin || x > width - margin || y > height - margin) this.centerOn(gx, gy);
  }

  private contentSize(): { width: number; height: number } | undefined {
    if (!this.content) return undefined;
    return {
      width: Number(this.content.getAttribute('width')) || 1,
      height: Number(this.content.getAttribute('height')) || 1,
    };
  }

  private set(transform: Transform): void {
    if (transform.scale !== this.transform.scale) this.sharpenSoon();
    this.transform = transform;
    if (this.content)
      this.content.style.transform = `translate(${transform.x}px, ${transform.y}px) scale(${transform.scale})`;
    this.onChange(this.current);
  }

  /**
   * A layer promoted for transforms keeps the resolution it was rasterised at, so zooming in
   * blurs it. Once zooming pauses, dropping and restoring `will-change` makes Chromium
   * rasterise it again at the new scale.
   */
  private sharpenSoon(): void {
    clearTimeout(this.sharpenTimer);
    this.sharpenTimer = setTimeout(() => {
      const content = this.content;
      if (!content) return;
      content.style.willChange = 'auto';
      requestAnimationFrame(() => requestAnimationFrame(() => (content.style.willChange = '')));
    }, SHARPEN_AFTER_MS);
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const rect = this.viewport.getBoundingClientRect();
    this.zoomBy(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.drag = {
      x: this.transform.x,
      y: this.transform.y,
      startX: event.clientX,
      startY: event.clientY,
      moved: false,
    };
    this.suppressClick = false;
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const dx = event.clientX - drag.startX;
    const dy = event.clientY - drag.startY;
    if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
    if (!drag.moved) {
      this.viewport.setPointerCapture(event.pointerId);
      // No hover effects while dragging: each would restyle and repaint the moving layer.
      this.viewport.classList.add('panning');
    }
    drag.moved = true;
    this.set({ scale: this.transform.scale, x: drag.x + dx, y: drag.y + dy });
  }

  private onPointerUp(event: PointerEvent): void {
    if (this.drag?.moved) {
      this.suppressClick = true;
      this.viewport.classList.remove('panning');
      if (this.viewport.hasPointerCapture(event.pointerId)) this.viewport.releasePointerCapture(event.pointerId);
    }
    this.drag = undefined;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
