// 扫安全码: photograph the QR code on a sign or a 岗位风险告知卡 (or paste its address) and open the
// enterprise it belongs to. Decoding happens on the tablet; naming what the code belongs to needs
// the server, which answers only for codes in the inspector's own scope.
import { ApiError, NetworkError } from '../net/api.js';
import { readCode, tokenOf } from '../logic/safety-code.js';
import { app } from '../session.js';
import { go } from '../shell.js';
import { html } from '../ui/dom.js';

class ScanScreen extends HTMLElement {
  connectedCallback() {
    this.innerHTML = String(html`
      <h1>扫安全码</h1>
      <p class="muted">拍摄企业或风险点安全码（标牌、岗位风险告知卡上的二维码），打开对应企业的一企一档。</p>
      <label class="button primary wide">拍照识别安全码
        <input type="file" accept="image/*" capture="environment" data-scan-photo hidden></label>
      <form class="stack" data-scan-form>
        <label for="scan-text">或粘贴安全码链接</label>
        <input id="scan-text" name="code" data-scan-text autocomplete="off" placeholder="https://…/s/…">
        <button type="submit" class="button">打开</button>
      </form>
      <p class="message" data-scan-message role="status" aria-live="polite"></p>`);
    this.querySelector('[data-scan-photo]').addEventListener('change', (event) => this.fromPhoto(event.target));
    this.querySelector('[data-scan-form]').addEventListener('submit', (event) => {
      event.preventDefault();
      this.open(this.querySelector('[data-scan-text]').value);
    });
    this.dataset.ready = '1';
  }

  say(text, kind = '') {
    const message = this.querySelector('[data-scan-message]');
    message.textContent = text;
    message.className = `message ${kind}`;
  }

  async fromPhoto(input) {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    this.say('正在识别二维码…');
    try {
      const text = await readCode(file);
      if (!text) {
        this.say('照片中没有找到二维码：请对准二维码、保持清晰后重拍。', 'error');
        return;
      }
      await this.open(text);
    } catch (error) {
      this.say(error.message || String(error), 'error');
    }
  }

  async open(text) {
    const token = tokenOf(text);
    if (!token) {
      this.say('这不是安检平台的安全码。', 'error');
      return;
    }
    this.say('正在查询安全码…');
    try {
      const code = await app.api.json('GET', `/api/v1/safety-codes/${encodeURIComponent(token)}`);
      this.dataset.resolved = code.subject;
      go(`enterprise/${code.enterprise_id}`);
    } catch (error) {
      if (error instanceof NetworkError) this.say('离线时无法识别安全码，请联网后重试。', 'error');
      else if (error instanceof ApiError && error.status === 404) this.say('安全码不存在、已更换，或该企业不在您的检查范围内。', 'error');
      else this.say(error.message || String(error), 'error');
    }
  }
}

customElements.define('aj-scan', ScanScreen);
