// The documented HTTP API (docs/sync.md), nothing private: login, refresh, logout, me, push, pull,
// attachments. One request at a time per call; retries and backoff are the sync engine's job.

export class NetworkError extends Error {
  constructor(cause) {
    super('无法连接服务器（网络中断或服务器不可达）');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** An error answer: ``{code, message, message_zh, field, problems?}`` (docs/sync.md). */
export class ApiError extends Error {
  constructor(status, body, headers) {
    const b = body && typeof body === 'object' ? body : {};
    super(b.message_zh || b.message || `服务器返回错误 HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = b.code || null;
    this.field = b.field || null;
    this.body = b;
    this.retryAfter = Number(headers?.get('retry-after')) || null;
  }

  /** Temporary: the same request may succeed later (docs/sync.md "Temporary failures"). */
  get temporary() {
    return this.status === 429 || this.status >= 500;
  }
}

/** What to show for an error: the Chinese message first, and each problem the server listed. */
export function errorLines(error) {
  if (!error) return [];
  const body = error.body || error;
  const problems = (body.problems || []).map((p) => p.message_zh || p.message).filter(Boolean);
  // ``problems`` lists every problem of a rejected record (the first repeats ``message_zh``).
  if (problems.length) return [...new Set(problems)];
  return [body.message_zh || body.message || error.message || String(error)];
}

const SESSION_ENDED = new Set(['session_ended', 'refresh_token_reused', 'missing_token']);

export class Api {
  /**
   * ``tokens()`` returns ``{access_token, refresh_token}``; ``saveTokens(pair)`` keeps a new pair;
   * ``onAuthLost(reason)`` is told when the session is over (``session_ended``) or the device was
   * revoked (``device_revoked``): the app then keeps every record and asks for a login.
   */
  constructor({ tokens, saveTokens, onAuthLost }) {
    this.tokens = tokens;
    this.saveTokens = saveTokens;
    this.onAuthLost = onAuthLost;
    this.refreshing = null;
  }

  async send(method, path, { json, body, headers = {}, auth = true, query } = {}) {
    let url = path;
    if (query) {
      const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null));
      if ([...params].length) url += `?${params}`;
    }
    for (let attempt = 0; ; attempt += 1) {
      const h = { Accept: 'application/json', ...headers };
      if (json !== undefined) h['Content-Type'] = 'application/json';
      if (auth) {
        const t = await this.tokens();
        if (t?.access_token) h.Authorization = `Bearer ${t.access_token}`;
      }
      let response;
      try {
        response = await fetch(url, { method, headers: h, body: json !== undefined ? JSON.stringify(json) : body, cache: 'no-store' });
      } catch (error) {
        throw new NetworkError(error);
      }
      if (response.ok) return response;
      const payload = await readBody(response);
      const error = new ApiError(response.status, payload, response.headers);
      if (auth && response.status === 401 && error.code === 'invalid_token' && attempt === 0) {
        await this.refresh();
        continue;
      }
      if (auth && (error.code === 'device_revoked' || (response.status === 401 && SESSION_ENDED.has(error.code)))) {
        this.onAuthLost?.(error.code === 'device_revoked' ? 'device_revoked' : 'session_ended', error);
      }
      throw error;
    }
  }

  async json(method, path, options) {
    const response = await this.send(method, path, options);
    return response.status === 204 ? null : response.json();
  }

  /** Use up the refresh token once, however many requests found the access token expired. */
  refresh() {
    this.refreshing ??= (async () => {
      try {
        const t = await this.tokens();
        if (!t?.refresh_token) throw new ApiError(401, { code: 'session_ended', message_zh: '登录已失效，请重新登录' });
        const run = async () => {
          const response = await fetch('/api/v1/auth/refresh', {
            method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ refresh_token: t.refresh_token }), cache: 'no-store',
          }).catch((error) => { throw new NetworkError(error); });
          const payload = await readBody(response);
          if (!response.ok) {
            const error = new ApiError(response.status, payload, response.headers);
            if (!error.temporary) this.onAuthLost?.(error.code === 'device_revoked' ? 'device_revoked' : 'session_ended', error);
            throw error;
          }
          await this.saveTokens(payload);
        };
        // Two tabs refreshing with one token would look like a stolen token (the server revokes the login).
        if (navigator.locks) await navigator.locks.request('anjian-refresh', run);
        else await run();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  // --- the endpoints the app uses -----------------------------------------------------------
  login(body) {
    return this.json('POST', '/api/v1/auth/login', { json: body, auth: false });
  }

  me() {
    return this.json('GET', '/api/v1/auth/me');
  }

  logout() {
    return this.send('POST', '/api/v1/auth/logout');
  }

  push(records) {
    return this.json('POST', '/api/v1/sync/push', { json: { records } });
  }

  pull(cursor, limit) {
    return this.json('GET', '/api/v1/sync/pull', { query: { cursor, limit } });
  }

  /** What the server holds of an attachment: ``{offset, complete}`` (404: nothing yet). */
  async attachmentState(sha) {
    try {
      const response = await this.send('HEAD', `/api/v1/attachments/${sha}`);
      return { offset: Number(response.headers.get('upload-offset') || 0), complete: response.headers.get('upload-complete') === '1' };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { offset: 0, complete: false };
      throw error;
    }
  }

  /** Send bytes ``start``.. of an attachment of ``total`` bytes; returns the server's offset. */
  async uploadChunk(sha, chunk, start, total) {
    const response = await this.send('PUT', `/api/v1/attachments/${sha}`, {
      body: chunk,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${start}-${start + chunk.size - 1}/${total}` },
    });
    const body = await response.json().catch(() => ({}));
    return { offset: Number(response.headers.get('upload-offset') ?? body.received ?? start + chunk.size), complete: !!body.complete };
  }
}

async function readBody(response) {
  const text = await response.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { message: text.slice(0, 300) };
  }
}
