// <aj-photos>: take photos with the camera (``<input type=file capture>``), downscaled and kept
// on the device at once; thumbnails with a remove button. Fires ``photos-change`` ({photos}).
import { keepPhoto } from '../media/photos.js';
import { app } from '../session.js';
import { describeError, html, keyboardFileLabel, photoUrl, raw, toast } from './dom.js';
import { icon } from './icons.js';

class PhotoPicker extends HTMLElement {
  connectedCallback() {
    if (this.photos) return; // moved, not new (a screen re-rendered around its form): keep what it holds
    this.photos = JSON.parse(this.getAttribute('photos') || '[]');
    this.label = this.getAttribute('label') || '拍照';
    this.render();
    this.addEventListener('change', (event) => {
      if (event.target.matches('input[type=file]')) {
        event.stopPropagation();
        this.add([...event.target.files]);
        event.target.value = '';
      }
    });
    this.addEventListener('click', (event) => {
      const remove = event.target.closest('[data-remove]');
      if (remove) {
        event.stopPropagation();
        this.photos = this.photos.filter((sha) => sha !== remove.dataset.remove);
        this.changed();
      }
    });
  }

  async add(files) {
    this.busy = true;
    this.render();
    for (const file of files) {
      try {
        const sha = await keepPhoto(app.store, file);
        if (!this.photos.includes(sha)) this.photos.push(sha);
      } catch (error) {
        toast(`照片未能保存：${describeError(error)}`, 'error');
      }
    }
    this.busy = false;
    this.changed();
  }

  changed() {
    this.render();
    this.dispatchEvent(new CustomEvent('photos-change', { bubbles: true, detail: { photos: [...this.photos] } }));
  }

  async render() {
    const thumbs = await Promise.all(this.photos.map(async (sha) => ({ sha, url: await photoUrl(app.store, sha) })));
    this.innerHTML = String(html`
      <div class="photos">
        ${thumbs.map((t) => html`<figure class="thumb" data-sha="${t.sha}">${t.url ? html`<img src="${t.url}" alt="照片">` : html`<span class="muted small" title="已上传，本机副本已清理">已上传</span>`}
          <button type="button" class="remove" data-remove="${t.sha}" aria-label="删除照片">×</button></figure>`)}
        <label class="button photo-button ${this.busy ? 'busy' : ''}">${raw(icon('camera', 20))} ${this.busy ? '处理中…' : this.label}
          <input type="file" accept="image/*" capture="environment" multiple hidden></label>
      </div>`);
    keyboardFileLabel(this.querySelector('label.photo-button'));
    this.dataset.count = String(this.photos.length);
    this.dataset.busy = this.busy ? '1' : '0';
  }
}

customElements.define('aj-photos', PhotoPicker);
