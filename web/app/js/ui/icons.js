// Line icons as inline SVG (emoji fonts are missing on many tablets).
const PATHS = {
  tasks: 'M9 4h6M9 4a2 2 0 0 0-2 2H5v15h14V6h-2a2 2 0 0 0-2-2M8 11h8M8 15h6',
  enterprises: 'M3 21V10l6-3v3l6-3v3l6-3v14zM7 17h2M11 17h2M15 17h2',
  inspections: 'M5 4h14v17H5zM8 10l2 2 4-4M8 16h8',
  hazards: 'M12 3 2 20h20zM12 10v4M12 17v.5',
  outbox: 'M12 16V4M7 9l5-5 5 5M4 14v6h16v-6',
  sync: 'M4 12a8 8 0 0 1 14-5l2 2M20 12a8 8 0 0 1-14 5l-2-2M20 4v5h-5M4 20v-5h5',
  camera: 'M4 7h3l2-3h6l2 3h3v13H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
};

export function icon(name, size = 22) {
  return `<svg class="icon-svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="${PATHS[name]}"/></svg>`;
}
