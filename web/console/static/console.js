// The console works without this file; it only adds comfort: a form being sent cannot be sent twice,
// and a chosen photo count is shown beside a file field. htmx (vendor/htmx.min.js) does the partial
// updates of the lists; its requests carry the CSRF token from <body hx-headers>.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  if (form.dataset.sending) { event.preventDefault(); return; }
  form.dataset.sending = "1";
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
});

window.addEventListener("pageshow", () => {
  // Back to a page whose form was sent: make it usable again.
  for (const form of document.querySelectorAll("form[data-sending]")) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = false;
  }
});

document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  let note = input.nextElementSibling;
  if (!note || !note.classList.contains("chosen")) {
    note = document.createElement("p");
    note.className = "chosen aj-small";
    input.after(note);
  }
  note.textContent = input.files.length ? `已选择 ${input.files.length} 张照片` : "";
});
