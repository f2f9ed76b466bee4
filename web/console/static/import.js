// The import page works without this file: it only names the chosen file beside the file field
// (console.js counts "photos" for every file field; a spreadsheet is not a photo).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || input.name !== "file") return;
  const note = input.nextElementSibling;
  if (note && note.classList.contains("chosen")) {
    note.textContent = input.files.length ? `已选择：${input.files[0].name}` : "";
  }
});
