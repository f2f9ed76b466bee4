// Photos from the camera, made small on the device before they are kept: a 12-megapixel photo is
// 4-8 MB, too much for a day of work on a weak mobile network; 1600 px on the long side is enough
// to read a nameplate or a gauge.
import { sha256Hex } from './sha256.js';

export const MAX_SIDE = 1600;
const QUALITY = 0.82;

async function decode(file) {
  if (self.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch { /* fall through to <img> */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The photo downscaled to ``MAX_SIDE`` as JPEG. */
export async function downscale(file) {
  let image;
  try {
    image = await decode(file);
  } catch {
    throw new Error(`无法读取图片“${file.name || ''}”，请重新拍摄`);
  }
  const width = image.width;
  const height = image.height;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(image, 0, 0, canvas.width, canvas.height);
  image.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  if (!blob) throw new Error('图片压缩失败');
  return blob;
}

/** Keep a photo (downscaled) or a signature (as drawn) in the user's store; returns its sha256. */
export async function keepBlob(store, blob, kind) {
  const sha256 = await sha256Hex(blob);
  await store.putPhoto({ sha256, blob, type: blob.type, size: blob.size, kind });
  return sha256;
}

export async function keepPhoto(store, file) {
  return keepBlob(store, await downscale(file), 'photo');
}
