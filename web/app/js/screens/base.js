// What every list screen shares: render now, and again when the data it shows changed.
import { app } from '../session.js';

export class Screen extends HTMLElement {
  /** App events that make this screen render again. */
  static refreshOn = ['entities', 'outbox'];

  connectedCallback() {
    this.onData = () => this.refresh();
    for (const name of this.constructor.refreshOn) app.events.addEventListener(name, this.onData);
    this.refresh();
  }

  disconnectedCallback() {
    for (const name of this.constructor.refreshOn) app.events.removeEventListener(name, this.onData);
  }

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
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }
}
