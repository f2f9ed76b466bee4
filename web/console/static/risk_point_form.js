// The risk point form (风险点) works without this file: 增加一条措施 posts the form back with one more
// empty row, and the place on the plan is typed as two fractions. This adds comfort only: a new
// control row without a round trip, and a click on the plant plan that fills in x and y.
const rows = document.getElementById("control-rows");
const template = document.getElementById("control-row-template");
const addButton = document.querySelector("[data-add-control]");

if (rows && template && addButton) {
  addButton.addEventListener("click", (event) => {
    event.preventDefault();
    const used = [...rows.querySelectorAll("[data-control-row]")].map((row) => Number(row.dataset.controlRow));
    const index = used.length ? Math.max(...used) + 1 : 0;
    const html = template.innerHTML.replaceAll("__i__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    const row = rows.lastElementChild;
    row.querySelector(".rr-row-no").textContent = String(rows.children.length);
    row.querySelector("select").focus();
  });
}

const pick = document.querySelector("[data-plan-pick]");
const x = document.getElementById("f-plan-x");
const y = document.getElementById("f-plan-y");

function showMarker() {
  const marker = pick.querySelector(".rr-plan-marker");
  const fx = parseFloat(x.value);
  const fy = parseFloat(y.value);
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) { marker.hidden = true; return; }
  marker.style.left = `${fx * 100}%`;
  marker.style.top = `${fy * 100}%`;
  marker.hidden = false;
}

if (pick && x && y) {
  const image = pick.querySelector("img");
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const round = (value) => Math.min(1, Math.max(0, value)).toFixed(4);
    x.value = round((event.clientX - box.left) / box.width);
    y.value = round((event.clientY - box.top) / box.height);
    showMarker();
  });
  x.addEventListener("input", showMarker);
  y.addEventListener("input", showMarker);
  showMarker();
}
