// Innovasjonsarena: progressive enhancement only; every screen works without JavaScript.
(() => {
  "use strict";

  // The compare tray (INN-11): says how many needs are chosen and stops a submit with too few or too many.
  const tray = document.getElementById("compare-form");
  if (tray) {
    const status = tray.querySelector(".compare-tray__status");
    const boxes = () => Array.from(document.querySelectorAll(".compare-check"));
    const update = () => {
      const count = boxes().filter((box) => box.checked).length;
      let message = tray.dataset.msgNone;
      if (count > 4) {
        message = tray.dataset.msgMany;
      } else if (count >= 2) {
        message = tray.dataset.msgReady;
      } else if (count === 1) {
        message = tray.dataset.msgSome;
      }
      status.textContent = message.replace("__N__", String(count));
      tray.dataset.count = String(count);
      return count;
    };
    document.addEventListener("change", (event) => {
      if (event.target.classList && event.target.classList.contains("compare-check")) {
        update();
      }
    });
    tray.addEventListener("submit", (event) => {
      const count = update();
      if (count < 2 || count > 4) {
        event.preventDefault();
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    });
    update();
  }

  // Comparison: a switch to show only the rows that differ.
  const onlyDifferences = document.getElementById("only-differences");
  if (onlyDifferences) {
    const label = document.querySelector("label[for='only-differences']");
    onlyDifferences.hidden = false;
    if (label) {
      label.hidden = false;
    }
    onlyDifferences.addEventListener("change", () => {
      document.querySelectorAll(".compare-table").forEach((table) => {
        table.classList.toggle("only-differences", onlyDifferences.checked);
      });
    });
  }

  // Evaluation criteria (INN-8): the sum of the weights while they are typed.
  const sum = document.querySelector(".criteria-sum");
  if (sum) {
    const form = sum.closest("form");
    const update = () => {
      let total = 0;
      form.querySelectorAll("input[name$='-weight']").forEach((input) => {
        const value = parseInt(input.value, 10);
        if (!Number.isNaN(value)) {
          total += value;
        }
      });
      sum.textContent = sum.dataset.label.replace("__N__", String(total));
      sum.dataset.complete = total === 100 ? "true" : "false";
    };
    form.addEventListener("input", update);
    update();
  }
})();
