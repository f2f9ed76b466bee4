// What every list screen shares: render now, and again when the data it shows changed — at most
// every MIN_INTERVAL_MS (uploads fire an event per photo; each render reads the whole list).
import { app } from '../session.js';

const MIN_INTERVAL_MS = 250;

export class Screen extends HTMLElement {
  /** App events that make this screen render again. */
  static refreshOn = ['entities', 'outbox'];

  connectedCallback() {
    this.onData = () => this.refreshSoon();
    for (const name of this.constructor.refreshOn) app.events.addEventListener(name, this.onData);
    this.refresh();
  }

  disconnectedCallback() {
    for (const name of this.constructor.refreshOn) app.events.removeEventListener(name, this.onData);
    clearTimeout(this.soon);
  }

  /** The data changed: render again, at most every MIN_INTERVAL_MS (the last change always shows). */
  refreshSoon() {
    if (this.soon) return;
    const wait = Math.max(0, (this.renderedAt || 0) + MIN_INTERVAL_MS - performance.now());
    this.soon = setTimeout(() => {
      this.soon = null;
      this.refresh();
    }, wait);
  }

  /** Render now (what the user asked for, e.g. a search), or right after the render running. */
  async refresh() {
    if (!app.store || !this.isConnected) return; // logged out: the page is about to reload
    if (this.rendering) {
      this.again = true;
      return;
    }
    this.rendering = true;
    try {
      await this.render();
      this.dataset.ready = '1';
    } finally {
      this.rendering = false;
      this.renderedAt = performance.now();
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }
}
