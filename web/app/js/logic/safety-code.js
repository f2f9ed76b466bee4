// 安全码: what a scanned or pasted code names. The QR image is decoded here with the vendored jsQR
// (loaded the first time it is needed); the token is then resolved by the server
// (GET /api/v1/safety-codes/<token>), which answers only within the inspector's scope.

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const IN_URL = /\/s\/([A-Za-z0-9_-]{16,64})(?:[/?#]|$)/;
const MAX_SIDE = 1600; // a phone photo is decoded at this size at most: enough for a code filling a tenth of it

/** The token of a code's address (…/s/<token>) or a bare token; null for anything else. */
export function tokenOf(text) {
  const value = String(text || '').trim();
  if (TOKEN.test(value)) return value;
  const match = IN_URL.exec(value);
  return match ? match[1] : null;
}

let loading = null;

/** The vendored decoder (a classic script defining ``self.jsQR``), loaded once. */
export function decoder() {
  if (self.jsQR) return Promise.resolve(self.jsQR);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('../../vendor/jsQR.js', import.meta.url).href;
    script.onload = () => (self.jsQR ? resolve(self.jsQR) : reject(new Error('二维码识别组件加载失败')));
    script.onerror = () => {
      loading = null;
      reject(new Error('二维码识别组件加载失败，请联网后重试'));
    };
    document.head.append(script);
  });
  return loading;
}

/** The text of the QR code in an image file (a photo of a sign or a card); null when none is found. */
export async function readCode(file) {
  const jsQR = await decoder();
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.imageSmoothingEnabled = scale < 1;
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const pixels = context.getImageData(0, 0, width, height);
  const found = jsQR(pixels.data, width, height, { inversionAttempts: 'attemptBoth' });
  return found ? found.data : null;
}
