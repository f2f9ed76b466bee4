// 登录: username and password; the first login from this browser enrols it as the user's device.
import { ApiError, NetworkError, errorLines } from '../net/api.js';
import { emit, login } from '../session.js';
import { pendingRevocations } from '../store/device.js';
import { html } from '../ui/dom.js';

class LoginScreen extends HTMLElement {
  connectedCallback() {
    const username = this.getAttribute('username') || '';
    this.innerHTML = String(html`
      <section class="login">
        <div class="login-card">
          <img src="icons/icon.svg" alt="" class="login-logo">
          <h1>安检 · 现场检查</h1>
          <p class="muted">安全生产执法检查离线应用</p>
          <form data-form novalidate>
            <label>用户名<input name="username" autocomplete="username" required value="${username}" autocapitalize="none"></label>
            <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
            <p class="error" data-error role="alert"></p>
            <button type="submit" class="primary wide" data-submit>登录</button>
          </form>
          <p class="muted small">首次登录需要联网；登录后可离线工作。未上传的记录在退出登录后仍保留在本机，下次同一用户登录时自动上传。</p>
          <p class="muted small" data-revocations hidden></p>
        </div>
      </section>`);
    pendingRevocations().then((list) => {
      const box = this.querySelector('[data-revocations]');
      if (!box || !list.length) return;
      box.hidden = false;
      box.textContent = `本机有 ${list.length} 个离线时退出的登录，联网后将自动在服务器上注销。`;
    }).catch(() => {});
    this.querySelector('[data-form]').addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  async submit() {
    const form = this.querySelector('[data-form]');
    const error = this.querySelector('[data-error]');
    const username = form.username.value.trim();
    const password = form.password.value;
    if (!username || !password) {
      error.textContent = '请输入用户名和密码';
      return;
    }
    const button = this.querySelector('[data-submit]');
    button.disabled = true;
    button.textContent = '正在登录…';
    error.textContent = '';
    try {
      await login(username, password);
      emit('logged-in');
    } catch (e) {
      if (e instanceof NetworkError) error.textContent = '无法连接服务器：登录需要联网。请检查网络后重试。';
      else if (e instanceof ApiError && e.code === 'device_revoked') error.textContent = `${errorLines(e).join('；')}。本机保存的未上传记录不会删除。`;
      else error.textContent = errorLines(e).join('；');
      button.disabled = false;
      button.textContent = '登录';
    }
  }
}

customElements.define('aj-login', LoginScreen);
