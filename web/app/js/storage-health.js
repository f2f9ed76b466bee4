// Browser storage is a hostile disk (STYLE.md): ask for persistent storage, and tell how much
// is used and left, so an inspector hears of a full disk before a photo is lost.

export const SHORT_BYTES = 200 * 1024 * 1024;

/** ``{persisted, usage, quota, short}``; asks for persistence once when not yet granted. */
export async function storageState({ ask = false } = {}) {
  const out = { persisted: null, usage: null, quota: null, short: false };
  const storage = navigator.storage;
  if (storage?.persisted) {
    out.persisted = await storage.persisted().catch(() => null);
    if (!out.persisted && ask && storage.persist) out.persisted = await storage.persist().catch(() => false);
  }
  if (storage?.estimate) {
    const estimate = await storage.estimate().catch(() => null);
    if (estimate) {
      out.usage = estimate.usage ?? null;
      out.quota = estimate.quota ?? null;
      out.short = out.quota !== null && out.usage !== null && (out.quota - out.usage < SHORT_BYTES || out.usage / out.quota > 0.9);
    }
  }
  return out;
}

export const persistedText = (persisted) =>
  persisted === true ? '已获准（浏览器不会自动清除本应用的数据）'
    : persisted === false ? '未获准：浏览器在空间不足时可能清除本应用的数据。请将应用“添加到主屏幕”后再打开，并及时同步或导出。'
      : '此浏览器不支持持久存储申请';
