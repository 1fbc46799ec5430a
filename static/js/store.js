// Butikken: progressive enhancement only. Without JavaScript the "Sammenlikne" boxes belong to the tray's
// GET form and the filters are a GET form; with htmx, ticking a box updates the compare tray in place
// (kept in the session across pages) and the filters update the results without a full page load.
(() => {
  "use strict";

  const syncBoxes = () => {
    const tray = document.getElementById("compare-tray");
    if (!tray) {
      return;
    }
    const chosen = new Set((tray.dataset.trayIds || "").split(",").filter(Boolean));
    document.querySelectorAll("input.compare-check").forEach((box) => {
      box.checked = chosen.has(box.value);
    });
  };

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("compare-check") || !window.htmx) {
      return;
    }
    const tray = document.getElementById("compare-tray");
    if (!tray || !tray.dataset.toggleUrl) {
      return;
    }
    window.htmx.ajax("POST", tray.dataset.toggleUrl, {
      source: box,
      target: "#compare-tray",
      swap: "outerHTML",
      values: { toggle: box.value, checked: box.checked ? "1" : "0" },
    });
  });

  document.addEventListener("htmx:afterSettle", syncBoxes);
})();
