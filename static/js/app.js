// Progressive enhancement only: every screen works without JavaScript; htmx does the partial updates.
// Moves focus to content swapped in by htmx when it asks for it, so screen-reader users hear the result.
document.addEventListener("htmx:afterSwap", (event) => {
  const focusTarget = event.detail.target.querySelector("[data-focus-after-swap]");
  if (focusTarget) {
    focusTarget.focus();
  }
});
