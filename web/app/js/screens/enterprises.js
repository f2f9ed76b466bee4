// 企业: search the pulled enterprises by name, USCC or address.
import { RISK, industries } from '../logic/labels.js';
import { invalidate, searchEnterprises } from '../logic/search.js';
import { app } from '../session.js';
import { html } from '../ui/dom.js';
import { Screen } from './base.js';

let lastQuery = '';

class EnterprisesScreen extends Screen {
  static refreshOn = ['entities'];

  connectedCallback() {
    this.innerHTML = String(html`
      <h1>企业（一企一档） <a class="button scan-link" href="#/scan" data-scan-link>扫安全码</a></h1>
      <input type="search" class="search" data-query aria-label="搜索企业" placeholder="按企业名称、统一社会信用代码或地址搜索" value="${lastQuery}" autocomplete="off">
      <p class="muted small" data-count></p>
      <ul class="cards" data-results></ul>`);
    this.querySelector('[data-query]').addEventListener('input', (e) => {
      lastQuery = e.target.value;
      this.refresh();
    });
    super.connectedCallback();
  }

  async render() {
    const started = performance.now();
    const { found, total, all } = await searchEnterprises(app.store, lastQuery);
    this.dataset.searchMs = String(Math.round(performance.now() - started));
    const shown = total > found.length ? `，显示前 ${found.length} 家` : '';
    this.querySelector('[data-count]').textContent = !all ? '本机尚无企业数据，请联网同步。'
      : lastQuery.trim() ? `本机共 ${all} 家企业，匹配 ${total} 家${shown}` : `本机共 ${all} 家企业${shown}${shown ? '，输入关键字搜索' : ''}`;
    this.querySelector('[data-results]').innerHTML = String(html`${found.map((e) => html`
      <li class="card enterprise" data-enterprise="${e.id}"><a href="#/enterprise/${e.id}" class="card-link">
        <div class="title">${e.name}${e.risk_level ? html` <span class="risk ${e.risk_level}">${RISK[e.risk_level]}</span>` : ''}</div>
        <div class="meta">${e.uscc} · ${industries(e.industries)}</div>
        <div class="meta">${e.address || ''}</div></a></li>`)}`);
  }
}

app.events.addEventListener('entities', () => invalidate());
customElements.define('aj-enterprises', EnterprisesScreen);
