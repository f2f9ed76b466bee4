// <aj-signature>: a signature drawn with a finger, pen or mouse, kept as a PNG like a photo.
// Fires ``signature-change`` ({sha256}) after each stroke and on clearing ({sha256: null}).
import { keepBlob } from '../media/photos.js';
import { app } from '../session.js';
import { photoUrl } from './dom.js';

class SignaturePad extends HTMLElement {
  connectedCallback() {
    this.sha = this.getAttribute('sha256') || null;
    this.innerHTML = `<canvas class="signature-canvas" aria-label="签名区域"></canvas>
      <div class="signature-actions"><span class="hint">在框内签名</span><button type="button" class="link" data-clear>清除重签</button></div>`;
    this.canvas = this.querySelector('canvas');
    this.resize();
    this.strokes = 0;
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
    this.canvas.addEventListener('pointercancel', (e) => this.up(e));
    this.querySelector('[data-clear]').addEventListener('click', () => this.clear());
    if (this.sha) this.drawStored();
  }

  resize() {
    const ratio = devicePixelRatio || 1;
    const width = this.clientWidth || 320;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(180 * ratio);
    this.canvas.style.height = '180px';
    const g = this.canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#111';
  }

  async drawStored() {
    const url = await photoUrl(app.store, this.sha);
    if (!url) return;
    const img = new Image();
    img.src = url;
    await img.decode().catch(() => {});
    const g = this.canvas.getContext('2d');
    g.drawImage(img, 0, 0, this.canvas.width / (devicePixelRatio || 1), this.canvas.height / (devicePixelRatio || 1));
    this.dataset.signed = '1';
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.drawing = true;
    const g = this.canvas.getContext('2d');
    g.beginPath();
    g.moveTo(...this.point(e));
  }

  move(e) {
    if (!this.drawing) return;
    const g = this.canvas.getContext('2d');
    g.lineTo(...this.point(e));
    g.stroke();
  }

  async up() {
    if (!this.drawing) return;
    this.drawing = false;
    this.strokes += 1;
    const blob = await new Promise((resolve) => this.canvas.toBlob(resolve, 'image/png'));
    this.sha = await keepBlob(app.store, blob, 'signature');
    this.dataset.signed = '1';
    this.dispatchEvent(new CustomEvent('signature-change', { bubbles: true, detail: { sha256: this.sha } }));
  }

  clear() {
    const g = this.canvas.getContext('2d');
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.sha = null;
    this.dataset.signed = '0';
    this.dispatchEvent(new CustomEvent('signature-change', { bubbles: true, detail: { sha256: null } }));
  }
}

customElements.define('aj-signature', SignaturePad);
